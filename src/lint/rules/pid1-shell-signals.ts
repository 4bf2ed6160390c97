// docker stop sends SIGTERM to PID 1, and the kernel delivers to a namespace's PID 1 only the signals it
// has a handler for. A shell, a busybox applet, node or python installs none, so as PID 1 each ignores
// the SIGTERM and every stop waits out stop_grace_period and ends in SIGKILL (exit 137). `exec` does not
// help when the exec'd program is one of them (`exec busybox httpd`); `init: true` always does. The id
// keeps its first name so that existing x-cmp.lint settings still apply.
import { commandWords, pid1IgnoringSigterm, SHELLS } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';

/** The stop signal is SIGTERM unless the service names another (then it is not ours to judge). */
function stopsWithSigterm(signal: string | undefined): boolean {
  return signal === undefined || /^(SIG)?TERM$|^15$/i.test(signal);
}

export const pid1ShellSignals: LintRule = {
  id: 'pid1-shell-signals',
  severity: 'warning',
  why: 'PID 1 only gets the signals it handles: a shell, busybox, node or python ignores SIGTERM, so stop waits for the grace period, then kills',
  fix: 'init: true (an init as PID 1 forwards SIGTERM), or exec a program that handles SIGTERM',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      if (svc.init === true || !stopsWithSigterm(svc.stop_signal)) continue;
      const pid1 = pid1IgnoringSigterm(commandWords(svc));
      if (pid1 === undefined) continue;
      const key = svc.entrypoint?.length ? 'entrypoint' : 'command';
      const grace = svc.stop_grace_period ?? '10s';
      const shell = SHELLS.has(pid1.split(' ')[0] ?? '');
      hits.push({
        service: name,
        path: ['services', name, key],
        message: shell
          ? `${name} runs a shell script as PID 1 (${pid1}), which neither handles nor forwards SIGTERM: stopping it waits ${grace} and then kills it`
          : `${name} runs ${pid1} as PID 1, which installs no SIGTERM handler and so ignores it: stopping it waits ${grace} and then kills it`,
        fix: shell
          ? `init: true on ${name}, or end the script with exec of a program that handles SIGTERM`
          : `init: true on ${name}`,
      });
    }
    return hits;
  },
};
