// Which containers the supervisor starts when it comes up (host reboot, supervisor crash). Unlike the
// engine, cmp then starts them in dependency order; that ordering is the caller's, from the graph.
import { decideRestart, type RestartCounters } from './restart-decider.js';
import type { RestartPolicy } from './restart-policy.js';

export interface BootCandidate {
  policy: RestartPolicy;
  running: boolean;
  /** The last run's exit code; a container that never ran counts as 0. */
  exitCode: number;
  counters: RestartCounters;
  /** Persisted flag: stopped by the user and not started since. */
  stoppedByUser: boolean;
}

/** The candidates to start, in input order; running ones are left alone. */
export function containersToStartOnBoot<T extends BootCandidate>(containers: readonly T[], now: number): T[] {
  return containers.filter(
    (c) =>
      !c.running &&
      decideRestart({
        policy: c.policy,
        exit: { exitCode: c.exitCode, byUser: false, ranMs: 0 },
        counters: c.counters,
        stoppedByUser: c.stoppedByUser,
        boot: true,
        now,
      }).action === 'restart',
  );
}
