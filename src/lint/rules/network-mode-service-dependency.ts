// network_mode: service:x joins x's network namespace; when x is recreated the joined container keeps
// a dead namespace (compose#11872). The loader adds an implicit dependency, but only a declared one
// says so in the file and carries `restart: true` for every tool that reads it.
import { declaresDependency } from '../declared.js';
import type { LintRule, RuleHit } from '../types.js';

export const networkModeServiceDependency: LintRule = {
  id: 'network-mode-service-dependency',
  severity: 'warning',
  why: "a service sharing another one's network namespace must start after it and restart with it",
  fix: 'declare depends_on on the namespace owner with restart: true',
  check({ project, sources }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      const mode = svc.network_mode;
      if (!mode?.startsWith('service:')) continue;
      const owner = mode.slice('service:'.length);
      if (declaresDependency(sources, name, owner)) continue;
      hits.push({
        service: name,
        path: ['services', name, 'network_mode'],
        message: `${name} joins ${owner}'s network namespace but does not declare depends_on ${owner}: when ${owner} is recreated, ${name} is left on a namespace that no longer exists`,
        fix: `depends_on: {${owner}: {condition: service_started, restart: true}}`,
      });
    }
    return hits;
  },
};
