// Opening a watch for a loaded project: the rules checked, and the actions wired to a lock and a log.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project } from '../model/types.js';
import type { Runtime } from '../runtime/types.js';
import { withLock } from '../util/lock.js';
import { projectRunDir } from '../util/paths.js';
import type { WatchContext } from './context.js';
import { loadServiceRules, watchedServices } from './rules.js';
import { startWatch, type WatchHandle } from './watcher.js';

const LOCK_WAIT_MS = 10 * 60_000;

/** Takes the same lock every project-changing command holds, for one step at a time. */
export function projectLock(project: string): <T>(fn: () => Promise<T>) => Promise<T> {
  const dir = projectRunDir(project);
  return async (fn) => {
    await mkdir(dir, { recursive: true });
    return withLock(join(dir, 'project.lock'), fn, LOCK_WAIT_MS);
  };
}

export interface OpenWatchOptions {
  runtime: Runtime;
  project: Project;
  services: readonly string[];
  log(line: string): void;
  /** The caller holds the project lock for as long as it watches (attached `up`). */
  holdsLock?: boolean;
  prune?: boolean;
  quietMs?: number;
}

export async function openWatch(o: OpenWatchOptions): Promise<WatchHandle> {
  const entries = await loadServiceRules(o.project, watchedServices(o.project, o.services), o.log);
  const ctx: WatchContext = {
    runtime: o.runtime,
    project: o.project,
    locked: o.holdsLock ? (fn) => fn() : projectLock(o.project.name),
    log: o.log,
    prune: o.prune ?? true,
  };
  return startWatch(ctx, entries, o.quietMs !== undefined ? { quietMs: o.quietMs } : {});
}
