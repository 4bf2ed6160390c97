// A migration or seed job under restart: always runs again every time it finishes, forever.
import { oneShotReason, unlimitedRestart } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';
import { restartPath } from './restart-path.js';

export const restartLoopOneShot: LintRule = {
  id: 'restart-loop-one-shot',
  severity: 'warning',
  why: 'a command that finishes (migration, seed, script, exit) under an unlimited restart policy runs again and again',
  fix: 'restart: "no" or on-failure:N for one-shot jobs',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      const policy = unlimitedRestart(svc);
      const reason = policy ? oneShotReason(svc) : undefined;
      if (!policy || !reason) continue;
      // restart-always-completion-dependency reports the stronger case.
      const waited = Object.values(project.services).some(
        (s) => s.depends_on[name]?.condition === 'service_completed_successfully',
      );
      if (waited) continue;
      hits.push({
        service: name,
        path: restartPath(svc, name),
        message: `${name} ${reason}, which finishes, but ${policy} restarts it after every exit: a loop with no limit`,
        fix: `restart: "no" (or on-failure:3) on ${name}`,
      });
    }
    return hits;
  },
};
