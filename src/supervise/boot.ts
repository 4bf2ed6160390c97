// Which containers the supervisor starts when it comes up (host reboot, supervisor crash). Unlike the
// engine, cmp then starts them in dependency order; that ordering is the caller's, from the graph.
import { decideRestart } from './restart-decider.js';
import type { RestartPolicy } from './restart-policy.js';

export interface BootCandidate {
  /** Container name. */
  name: string;
  service: string;
  policy: RestartPolicy;
  running: boolean;
  /** Persisted flag: stopped by the user and not started since. */
  stoppedByUser: boolean;
}

export interface BootStart {
  name: string;
  service: string;
}

/** The containers to start, in input order; running ones are left alone. */
export function containersToStartOnBoot(containers: readonly BootCandidate[], now: number): BootStart[] {
  return containers
    .filter((c) => !c.running)
    .filter(
      (c) =>
        decideRestart({
          policy: c.policy,
          exit: { exitCode: 0, byUser: false, ranMs: 0 },
          counters: { restartCount: 0, attempts: 0, quickFailures: 0 },
          stoppedByUser: c.stoppedByUser,
          boot: true,
          now,
        }).action === 'restart',
    )
    .map((c) => ({ name: c.name, service: c.service }));
}
