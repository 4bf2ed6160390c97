// privileged: true hands the container every capability and every host device: a container escape
// is one mount away. Tutorials copy it for things one capability would do.
import type { LintRule, RuleHit } from '../types.js';

export const privileged: LintRule = {
  id: 'privileged',
  severity: 'warning',
  why: 'privileged gives the container all capabilities and host devices',
  fix: 'grant only what is needed: cap_add (e.g. NET_ADMIN) and devices',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      if (svc.privileged !== true) continue;
      hits.push({
        service: name,
        path: ['services', name, 'privileged'],
        message: `${name} runs privileged: all capabilities and all host devices`,
        fix: `remove privileged from ${name}; add the specific cap_add / devices it needs`,
      });
    }
    return hits;
  },
};
