// Decides what happens after a container exits. Pure: the supervisor owns timers and persistence and
// feeds back the counters it got from the previous decision.
import { BACKOFF_RESET_AFTER_MS, backoffDelay } from './backoff.js';
import type { RestartPolicy } from './restart-policy.js';

export interface RestartCounters {
  /** Restarts made by the policy since the user last started the container (what `ps`/inspect show). */
  restartCount: number;
  /** Restarts that count against the limit; a run that outlasts `window` sets it back to 0. */
  attempts: number;
  /** Consecutive runs shorter than 10 s: the back-off exponent. */
  quickFailures: number;
}

export const FRESH_COUNTERS: RestartCounters = { restartCount: 0, attempts: 0, quickFailures: 0 };

export interface ContainerExit {
  exitCode: number;
  /** The exit was caused by cmp on the user's behalf (stop, down, kill, rm). */
  byUser: boolean;
  /** How long this run lasted. */
  ranMs: number;
}

export interface RestartInput {
  policy: RestartPolicy;
  exit: ContainerExit;
  counters: RestartCounters;
  /** Persisted across supervisor restarts: the user stopped the container and has not started it since. */
  stoppedByUser: boolean;
  /** The supervisor itself is starting (first run after a host reboot or a supervisor crash). */
  boot: boolean;
  now: number;
}

export type RestartDecision =
  | {
      action: 'restart';
      delayMs: number;
      /** When to start it: now + delayMs. */
      at: number;
      /** Which policy restart this is (1 = first); 0 for a start on supervisor boot, which is not a retry. */
      attempt: number;
      counters: RestartCounters;
    }
  | { action: 'stay-stopped'; reason: string; counters: RestartCounters };

export function decideRestart(input: RestartInput): RestartDecision {
  return input.boot ? decideOnBoot(input) : decideOnExit(input);
}

function decideOnExit({ policy, exit, counters, stoppedByUser, now }: RestartInput): RestartDecision {
  // The run length resets back-off and the window count whatever the outcome, as the engine does.
  const next: RestartCounters = {
    restartCount: counters.restartCount,
    attempts: policy.windowMs > 0 && exit.ranMs >= policy.windowMs ? 0 : counters.attempts,
    quickFailures: exit.ranMs >= BACKOFF_RESET_AFTER_MS ? 0 : counters.quickFailures,
  };
  const stay = (reason: string): RestartDecision => ({ action: 'stay-stopped', reason, counters: next });

  if (exit.byUser || stoppedByUser) return stay('stopped by the user');
  if (policy.mode === 'no') return stay('restart policy is "no"');
  if (policy.mode === 'on-failure' && exit.exitCode === 0)
    return stay('exited with code 0 (restart: on-failure)');
  if (policy.maxAttempts > 0 && next.attempts >= policy.maxAttempts) {
    return stay(
      `gave up after ${next.attempts} restart${next.attempts === 1 ? '' : 's'} (limit ${policy.maxAttempts})`,
    );
  }
  const delayMs = backoffDelay(next.quickFailures, policy.baseDelayMs);
  const counters2: RestartCounters = {
    restartCount: next.restartCount + 1,
    attempts: next.attempts + 1,
    quickFailures: next.quickFailures + 1,
  };
  return {
    action: 'restart',
    delayMs,
    at: now + delayMs,
    attempt: counters2.restartCount,
    counters: counters2,
  };
}

// Engine semantics: `always` comes back even after a manual stop, `unless-stopped` only if it was not
// stopped by the user, and `on-failure` never restarts because the supervisor (daemon) started.
function decideOnBoot({ policy, stoppedByUser, now }: RestartInput): RestartDecision {
  const stay = (reason: string): RestartDecision => ({
    action: 'stay-stopped',
    reason,
    counters: FRESH_COUNTERS,
  });
  switch (policy.mode) {
    case 'no':
      return stay('restart policy is "no"');
    case 'on-failure':
      return stay('restart: on-failure does not start containers when the supervisor starts');
    case 'unless-stopped':
      if (stoppedByUser) return stay('stopped by the user (restart: unless-stopped)');
      break;
    case 'always':
      break;
  }
  return { action: 'restart', delayMs: 0, at: now, attempt: 0, counters: FRESH_COUNTERS };
}
