// Following one container from run to run while attached: after an exit, whether its restart policy
// brings it back, and the state of its next run once that has begun.
import type { Service } from '../../model/types.js';
import type { ContainerState, Runtime } from '../../runtime/types.js';
import { decideRestart } from '../../supervise/restart-decider.js';
import { resolveRestartPolicy } from '../../supervise/restart-policy.js';
import { pause } from './follow.js';

/**
 * How long an ended container may stay `exited` (not `restarting`) before we take it that no restart is
 * coming: the supervisor marks a pending restart at its next look (every 200 ms); a user's `stop`, or a
 * supervisor that is gone, leaves it exited for good.
 */
const NO_RESTART_AFTER_MS = 2000;

/**
 * Whether the policy restarts the container after the exit `ended` shows, asked of the same decider the
 * supervisor uses. Its restart count stands in for the attempts: they differ only once a run outlasted
 * `deploy.restart_policy.window`, and then the runtime's `restarting` state answers (see nextRun).
 */
export function policyRestarts(service: Service | undefined, ended: ContainerState, now: number): boolean {
  if (!service) return false;
  const decision = decideRestart({
    policy: resolveRestartPolicy(service),
    exit: {
      exitCode: ended.exitCode ?? 0,
      byUser: false,
      ranMs: (ended.finishedAt ?? now) - (ended.startedAt ?? now),
    },
    counters: { restartCount: ended.restartCount, attempts: ended.restartCount, quickFailures: 0 },
    stoppedByUser: false,
    boot: false,
    now,
  });
  return decision.action === 'restart';
}

export type AfterExit =
  { kind: 'next'; run: ContainerState } | { kind: 'final'; state: ContainerState | undefined };

/**
 * After an exit: the container's next run (which may have ended already: a command that fails at once
 * lives for milliseconds), or its final state when it stays down or is removed.
 */
export async function afterExit(
  runtime: Runtime,
  service: Service | undefined,
  ended: ContainerState,
  pollMs: number,
  signal: AbortSignal,
): Promise<AfterExit> {
  let now = ended;
  while (!signal.aborted) {
    if ((now.startedAt ?? 0) > (ended.startedAt ?? 0)) return { kind: 'next', run: now };
    const pending = now.status === 'restarting' || now.status === 'running';
    if (!pending && !policyRestarts(service, now, Date.now())) return { kind: 'final', state: now };
    if (!pending && Date.now() - (now.finishedAt ?? 0) > NO_RESTART_AFTER_MS)
      return { kind: 'final', state: now };
    // A policy back-off can take up to a minute: keep looking until it runs again.
    await pause(pollMs, signal);
    const again = await runtime.inspectContainer(ended.id);
    if (!again) return { kind: 'final', state: undefined };
    now = again;
  }
  return { kind: 'final', state: now };
}
