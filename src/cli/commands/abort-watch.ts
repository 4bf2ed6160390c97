// `up --abort-on-container-exit` (and --exit-code-from, --abort-on-container-failure) while `up` is still
// starting services: compose follows each container from its start, so the first one to end stops the
// starting there and then. This looks for that end until `up` has made its changes.
import type { Project } from '../../model/types.js';
import type { ContainerState, Runtime } from '../../runtime/types.js';
import { selectContainers } from './common.js';
import { pause } from './follow.js';

export interface EndWatch {
  /** The attached services. */
  services: string[];
  /** When `up` began: only runs it started count. */
  sinceMs: number;
  /** --abort-on-container-failure: only a non-zero exit counts. */
  failuresOnly: boolean;
  pollMs?: number;
}

function endedRun(c: ContainerState, w: EndWatch): boolean {
  if ((c.startedAt ?? 0) < w.sinceMs) return false;
  if (c.status !== 'exited' && c.status !== 'restarting' && c.status !== 'dead') return false;
  return !w.failuresOnly || (c.exitCode ?? 0) !== 0;
}

/** Resolves true once a container of `services` that this `up` started has ended; false when `signal` fires first. */
export async function watchForEnd(
  runtime: Runtime,
  project: Project,
  w: EndWatch,
  signal: AbortSignal,
): Promise<boolean> {
  while (!signal.aborted) {
    const containers = await selectContainers(runtime, project, { services: w.services, all: true });
    if (containers.some((c) => endedRun(c, w))) return true;
    await pause(w.pollMs ?? 100, signal);
  }
  return false;
}
