// service_healthy on a service that never reports health: `up` fails or waits until it times out.
import { hasOwnHealthcheck, healthcheckDisabled } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';

export const healthyWithoutHealthcheck: LintRule = {
  id: 'healthy-without-healthcheck',
  severity: 'error',
  why: 'condition: service_healthy needs the dependency to report health; without a healthcheck it never does',
  fix: 'add a healthcheck to the dependency, or use condition: service_started',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      for (const [dep, d] of Object.entries(svc.depends_on)) {
        const target = project.services[dep];
        if (!target || d.condition !== 'service_healthy' || hasOwnHealthcheck(target)) continue;
        const why = healthcheckDisabled(target)
          ? `${dep} disables its healthcheck`
          : `${dep} has no healthcheck (unless its image defines a HEALTHCHECK)`;
        hits.push({
          service: name,
          path: ['services', name, 'depends_on', dep, 'condition'],
          message: `${name} waits for ${dep} to be healthy, but ${why}`,
          fix: `add a healthcheck to ${dep}, or use condition: service_started`,
        });
      }
    }
    return hits;
  },
};
