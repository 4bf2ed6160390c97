// Reading one container's log stream into a callback, ending quietly when our own signal stops it.
import type { ContainerState, Runtime } from '../../runtime/types.js';
import type { LogEntry } from '../format/logs.js';
import { serviceOf } from './common.js';

export interface FollowOptions {
  follow: boolean;
  tail?: number;
  sinceMs?: number;
  untilMs?: number;
  signal: AbortSignal;
}

/** Resolves with the time of the last line seen (or undefined) once the stream ends or `signal` fires. */
export async function readLogs(
  runtime: Runtime,
  c: ContainerState,
  opts: FollowOptions,
  onLine: (e: LogEntry) => void,
): Promise<number | undefined> {
  let last: number | undefined;
  const service = serviceOf(c);
  const req = {
    follow: opts.follow,
    signal: opts.signal,
    ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
    ...(opts.sinceMs !== undefined ? { sinceMs: opts.sinceMs } : {}),
    ...(opts.untilMs !== undefined ? { untilMs: opts.untilMs } : {}),
  };
  try {
    for await (const l of runtime.logs(c.id, req)) {
      if (opts.signal.aborted) break;
      last = l.time;
      onLine({ service, container: c.name, time: l.time, line: l.line, stream: l.stream });
    }
  } catch (e) {
    if (!opts.signal.aborted) throw e;
  }
  return last;
}

/**
 * Waits for `work`, but at most `ms`; the timer is cleared as soon as either ends, so a grace period never
 * keeps the process alive after the work is done.
 */
export async function within(work: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([work, pause(ms, signal ? AbortSignal.any([signal, done.signal]) : done.signal)]);
  } finally {
    done.abort();
  }
}

/** Resolves after `ms`, or at once when the signal fires. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
