// network_mode: host drops the project's networks for this service: its ports clash with the host's,
// `ports:` is ignored, and other services cannot reach it by name.
import type { LintRule, RuleHit } from '../types.js';

export const networkModeHost: LintRule = {
  id: 'network-mode-host',
  severity: 'warning',
  why: 'network_mode: host bypasses the project networks: no name resolution, no isolation, ports ignored',
  fix: 'attach the service to a network and publish the ports it needs',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      if (svc.network_mode !== 'host') continue;
      hits.push({
        service: name,
        path: ['services', name, 'network_mode'],
        message: `${name} uses the host's network: other services cannot reach it by name and its ports are not isolated`,
        fix: `drop network_mode: host from ${name} and publish its ports instead`,
      });
    }
    return hits;
  },
};
