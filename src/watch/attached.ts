// `up --watch` while attached: the watcher lives in the `up` process, which holds the project lock for
// as long as it runs, so its steps take no lock of their own.
import type { Project } from '../model/types.js';
import type { Runtime } from '../runtime/types.js';
import type { WatchHandle } from './watcher.js';
import { openWatch } from './session.js';

export function watchAttached(
  runtime: Runtime,
  project: Project,
  services: readonly string[],
  out: (text: string) => void,
): Promise<WatchHandle> {
  return openWatch({ runtime, project, services, log: (l) => out(`${l}\n`), holdsLock: true });
}
