// An alias belongs to one network attachment (compose#8340 and friends): it resolves only for
// containers on that network, even when the two services share another network.
import { hostReferences } from '../references.js';
import { aliasDeclarations, listNames, serviceNetworks, shares } from '../networks.js';
import type { LintRule, RuleHit } from '../types.js';

export const unreachableAlias: LintRule = {
  id: 'unreachable-alias',
  severity: 'error',
  why: 'a network alias resolves only on the network it is declared on',
  fix: 'declare the alias on a network both services are on, or attach the client to that network',
  check({ project }) {
    const hits: RuleHit[] = [];
    const aliases = aliasDeclarations(project);
    for (const [name, svc] of Object.entries(project.services)) {
      const mine = serviceNetworks(project, name);
      if (!mine) continue;
      const extra = new Set((svc.extra_hosts ?? []).map((h) => h.split(/[:=]/)[0]));
      for (const ref of hostReferences(svc)) {
        const decls = aliases.get(ref.host);
        // A service name that is also an alias is judged by unreachable-service-name.
        if (!decls || project.services[ref.host] || extra.has(ref.host)) continue;
        if (decls.some((d) => d.service === name)) continue;
        if (decls.some((d) => shares(project, mine, new Set([d.network])))) continue;
        const where = decls.map((d) => `${d.service} on ${d.network}`).join(', ');
        const first = decls[0];
        hits.push({
          service: name,
          path: ['services', name, ...ref.path],
          message: `${name} refers to the alias ${ref.host} in ${ref.where}, but that alias is declared only for ${where}, and ${name} is on ${listNames(mine)}`,
          fix: first
            ? `attach ${name} to ${first.network}, or declare the alias on a network ${name} shares with ${first.service}`
            : 'attach the service to the alias network',
        });
      }
    }
    return hits;
  },
};
