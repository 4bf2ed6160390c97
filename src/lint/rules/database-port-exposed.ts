// A published port without host_ip listens on every host interface, so a database with default
// credentials is reachable from the whole network (and Docker's NAT rules bypass host firewalls).
import { isDatabaseLike } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';

const ALL = new Set(['', '0.0.0.0', '::', '[::]']);

export const databasePortExposed: LintRule = {
  id: 'database-port-exposed',
  severity: 'warning',
  why: 'a database port published without host_ip listens on all host interfaces',
  fix: 'bind to 127.0.0.1 ("127.0.0.1:5432:5432"), or drop the port: other services reach it over the network',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      if (!isDatabaseLike(svc)) continue;
      svc.ports.forEach((p, i) => {
        if (p.published === undefined || !ALL.has(p.host_ip ?? '')) return;
        hits.push({
          service: name,
          path: ['services', name, 'ports', i],
          message: `${name} (${svc.image ?? ''}) publishes port ${p.target} on all host interfaces (host port ${p.published})`,
          fix: `bind to 127.0.0.1: "127.0.0.1:${p.published}:${p.target}"`,
        });
      });
    }
    return hits;
  },
};
