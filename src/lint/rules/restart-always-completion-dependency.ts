// A job others wait on with service_completed_successfully must stay exited; an unconditional restart
// policy starts it again, so the dependent sees a running (or restarting) container instead of exit 0.
import { unlimitedRestart } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';
import { restartPath } from './restart-path.js';

export const restartAlwaysCompletionDependency: LintRule = {
  id: 'restart-always-completion-dependency',
  severity: 'error',
  why: 'a restart policy that restarts clean exits makes a service_completed_successfully dependency never settle',
  fix: 'restart: "no" (or on-failure) on the one-shot service',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      const policy = unlimitedRestart(svc);
      if (!policy) continue;
      const waiters = Object.entries(project.services)
        .filter(([, s]) => s.depends_on[name]?.condition === 'service_completed_successfully')
        .map(([n]) => n);
      if (waiters.length === 0) continue;
      hits.push({
        service: name,
        path: restartPath(svc, name),
        message: `${waiters.join(', ')} ${waiters.length === 1 ? 'waits' : 'wait'} for ${name} to complete successfully, but ${policy} starts ${name} again after it exits, so ${waiters.length === 1 ? 'it never starts' : 'they never start'} reliably`,
        fix: `restart: "no" or restart: on-failure on ${name}`,
      });
    }
    return hits;
  },
};
