// Compose's DNS answers a service name only to containers on a network that service is on; a
// reference across networks fails with "name does not resolve" at run time, not at `up`.
import { hostReferences } from '../references.js';
import { listNames, serviceNetworks, shares } from '../networks.js';
import type { LintRule, RuleHit } from '../types.js';

export const unreachableServiceName: LintRule = {
  id: 'unreachable-service-name',
  severity: 'error',
  why: 'a service name resolves only on the networks that service is attached to',
  fix: 'attach both services to a common network',
  check({ project }) {
    const hits: RuleHit[] = [];
    const byContainerName = new Map<string, string>();
    for (const [n, s] of Object.entries(project.services))
      if (s.container_name) byContainerName.set(s.container_name, n);
    for (const [name, svc] of Object.entries(project.services)) {
      const mine = serviceNetworks(project, name);
      if (!mine) continue;
      const extra = new Set((svc.extra_hosts ?? []).map((h) => h.split(/[:=]/)[0]));
      for (const ref of hostReferences(svc)) {
        const target = project.services[ref.host] ? ref.host : byContainerName.get(ref.host);
        if (!target || target === name || extra.has(ref.host)) continue;
        const theirs = serviceNetworks(project, target);
        if (!theirs || shares(project, mine, theirs)) continue;
        hits.push({
          service: name,
          path: ['services', name, ...ref.path],
          message: `${name} refers to ${ref.host} in ${ref.where}, but they share no network (${name}: ${listNames(mine)}; ${target}: ${listNames(theirs)})`,
          fix: `attach ${name} and ${target} to a common network`,
        });
      }
    }
    return hits;
  },
};
