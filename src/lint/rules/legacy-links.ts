// links is a legacy Docker feature: on user-defined networks every service already reaches every other
// by name, and links also force start order (an implicit depends_on) that nobody sees in the file.
import type { LintRule, RuleHit } from '../types.js';

export const legacyLinks: LintRule = {
  id: 'legacy-links',
  severity: 'warning',
  why: 'links is legacy: services on a shared network already resolve each other by name',
  fix: 'remove links; use networks (and networks.<name>.aliases for extra names), depends_on for order',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      (svc.links ?? []).forEach((link, i) => {
        const [target, alias] = link.split(':');
        hits.push({
          service: name,
          path: ['services', name, 'links', i],
          message: `${name} uses legacy links to ${target ?? link}`,
          fix: alias
            ? `drop the link; give ${target ?? ''} the alias ${alias} under networks.<network>.aliases`
            : `drop the link: ${target ?? ''} is reachable by name on a shared network (add depends_on if order matters)`,
        });
      });
    }
    return hits;
  },
};
