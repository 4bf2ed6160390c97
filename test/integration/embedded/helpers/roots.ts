// What every embedded integration file does around its tests: private state and run roots for the file,
// and the file's containers removed after each test.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedRuntime } from '../../../../src/runtime/embedded/runtime.js';
import { assertNoLeaks } from '../../../setup/leaks.js';

export interface SavedRoots {
  state: string | undefined;
  run: string | undefined;
}

/** The roots as they are now, to be put back by restoreRoots. */
export function saveRoots(): SavedRoots {
  return { state: process.env.CMP_STATE_ROOT, run: process.env.CMP_RUN_ROOT };
}

export function restoreRoots(saved: SavedRoots): void {
  if (saved.state === undefined) delete process.env.CMP_STATE_ROOT;
  else process.env.CMP_STATE_ROOT = saved.state;
  if (saved.run === undefined) delete process.env.CMP_RUN_ROOT;
  else process.env.CMP_RUN_ROOT = saved.run;
}

/** Removes every container of the project, running or not, with its anonymous volumes. */
export async function removeAll(rt: EmbeddedRuntime, project: string): Promise<void> {
  for (const c of await rt.listContainers(project, { all: true })) {
    await rt.removeContainer(c.id, { force: true, volumes: true });
  }
}

/** Points cmp's state and run roots into the file's temporary folder. */
export function useRootsIn(tmp: string): void {
  process.env.CMP_STATE_ROOT = join(tmp, 'state');
  process.env.CMP_RUN_ROOT = join(tmp, 'run');
}

/** The file's end: nothing of cmp's left on the host, the temporary folder gone, the roots as they were. */
export async function finishFile(tmp: string, saved: SavedRoots): Promise<void> {
  try {
    await assertNoLeaks();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    restoreRoots(saved);
  }
}
