// `logs -f` over a project's life: the containers there at the start, and every container created or
// recreated while it runs (a `logs -f` started before `up -d` shows what that `up` starts).
import type { ContainerState, Runtime } from '../../runtime/types.js';
import type { LogEntry } from '../format/logs.js';
import { pause, readLogs, type FollowOptions } from './follow.js';

export interface ProjectFollow {
  /** The selected containers as they are now (the caller's selection: services, --index). */
  list(): Promise<ContainerState[]>;
  /** How often to look for new containers. */
  pollMs: number;
  /** When the command started: a container created since is on its way and worth waiting for. */
  startedAt: number;
}

/**
 * Follows `initial` with `opts` and every container that appears later from its first line. Ends on
 * `opts.signal`, or once something was followed, every stream has ended and nothing is running or on its
 * way (a container created since the start and not yet run: the new half of a recreate).
 */
export async function followProject(
  runtime: Runtime,
  initial: readonly ContainerState[],
  opts: FollowOptions,
  watch: ProjectFollow,
  onLine: (e: LogEntry) => void,
): Promise<void> {
  const active = new Map<string, Promise<void>>();
  /** id -> the time of its last line, for a stream that ended (a container that may start again). */
  const ended = new Map<string, number | undefined>();
  /** Streams that failed: an error only while their container is still there (a recreate removes it). */
  const failed = new Map<string, unknown>();
  const start = (c: ContainerState, o: FollowOptions): void => {
    const run = readLogs(runtime, c, o, onLine).then(
      (last) => void ended.set(c.id, last ?? ended.get(c.id)),
      (e: unknown) => {
        failed.set(c.id, e);
        ended.set(c.id, ended.get(c.id));
      },
    );
    active.set(
      c.id,
      run.finally(() => active.delete(c.id)),
    );
  };
  // What appears later is shown whole: --tail and --since are about what was there already.
  const fresh: FollowOptions = {
    follow: true,
    signal: opts.signal,
    ...(opts.untilMs !== undefined ? { untilMs: opts.untilMs } : {}),
  };
  for (const c of initial) start(c, opts);
  let seen = initial.length > 0;
  while (!opts.signal.aborted) {
    const now = await watch.list().catch(() => undefined);
    if (now) {
      for (const [id, e] of failed) {
        if (now.some((c) => c.id === id)) throw e;
        failed.delete(id);
      }
      for (const c of now) {
        if (active.has(c.id)) continue;
        if (ended.has(c.id)) {
          // Started again (restart, `start`): on from the last line shown.
          if (c.status !== 'running') continue;
          const last = ended.get(c.id);
          start(c, last !== undefined ? { ...fresh, sinceMs: last + 1 } : fresh);
        } else {
          start(c, fresh);
        }
        seen = true;
      }
      const coming = now.some(
        (c) =>
          c.status === 'running' ||
          c.status === 'restarting' ||
          (c.status === 'created' && c.createdAt >= watch.startedAt),
      );
      if (seen && active.size === 0 && !coming) break;
    }
    await pause(watch.pollMs, opts.signal);
  }
  await Promise.all(active.values());
}
