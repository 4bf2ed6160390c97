// depends_on with service_started only orders process starts (compose#2868): a server that needs
// seconds to accept connections makes its dependents fail on first connect.
import { declaresDependency } from '../declared.js';
import { hasOwnHealthcheck, isDatabaseLike, looksLikeServer } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';

export const readinessWithoutHealthcheck: LintRule = {
  id: 'readiness-without-healthcheck',
  severity: 'warning',
  why: 'depends_on with condition service_started waits for the process to start, not for it to accept connections',
  fix: 'add a healthcheck to the dependency and use condition: service_healthy',
  check({ project, sources }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      for (const [dep, d] of Object.entries(svc.depends_on)) {
        const target = project.services[dep];
        if (!target || d.condition !== 'service_started' || !declaresDependency(sources, name, dep)) continue;
        const path = ['services', name, 'depends_on', dep];
        if (hasOwnHealthcheck(target)) {
          hits.push({
            service: name,
            path,
            message: `${name} waits only for ${dep} to start although ${dep} has a healthcheck`,
            fix: `use condition: service_healthy for ${dep}`,
          });
        } else if (looksLikeServer(target)) {
          const what = isDatabaseLike(target)
            ? `its image ${target.image ?? ''} is a server`
            : 'it listens on ports';
          hits.push({
            service: name,
            path,
            message: `${name} starts as soon as ${dep}'s process starts, before ${dep} accepts connections (${what}, no healthcheck)`,
            fix: `add a healthcheck to ${dep} and use condition: service_healthy`,
          });
        }
      }
    }
    return hits;
  },
};
