// docker stop sends SIGTERM to PID 1. A shell running a compound script is PID 1 and neither handles
// nor forwards SIGTERM, so every stop waits out stop_grace_period and ends in SIGKILL. Compose's string
// form (`command: npm start`) is split into words without a shell, so only an explicit shell counts.
import { shellKeepsPid1, shellScript } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';

export const pid1ShellSignals: LintRule = {
  id: 'pid1-shell-signals',
  severity: 'warning',
  why: 'a shell as PID 1 does not forward SIGTERM: stop waits for the grace period, then kills',
  fix: 'init: true, or exec the long-running command at the end of the script',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      if (svc.init === true) continue;
      const script = shellScript(svc);
      if (script === undefined || !shellKeepsPid1(script)) continue;
      const key = svc.entrypoint?.length ? 'entrypoint' : 'command';
      const grace = svc.stop_grace_period ?? '10s';
      hits.push({
        service: name,
        path: ['services', name, key],
        message: `${name} runs a shell script as PID 1 (${svc[key]?.[0] ?? 'sh'} -c), which does not forward SIGTERM: stopping it waits ${grace} and then kills it`,
        fix: `init: true on ${name}, or end the script with exec <command>`,
      });
    }
    return hits;
  },
};
