// A lock file shared by every cmp process that changes network state (the CLI, supervisors):
// created with O_EXCL, holding the owner's pid so a lock left by a crashed process can be taken over.
import { processAlive } from './process.js';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { RuntimeError } from './errors.js';

const localQueues = new Map<string, Promise<unknown>>();

async function acquire(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    // An empty file is a lock being written right now, unless it has been empty for a while: its writer
    // died between creating and filling it. Otherwise only a dead owner's lock is stale.
    const abandoned =
      !(owner > 0) && Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now()) > 2000;
    if (abandoned || (owner > 0 && owner !== process.pid && !processAlive(owner))) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new RuntimeError(`timed out waiting for the lock ${path}`, {
        hint: `held by pid ${owner || 'unknown'}; remove the file if that process is gone`,
      });
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** Runs fn while holding the lock; calls from one process queue in memory instead of polling the file. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const before = localQueues.get(path) ?? Promise.resolve();
  const mine = before
    .catch(() => undefined)
    .then(async () => {
      await acquire(path, timeoutMs);
      try {
        return await fn();
      } finally {
        await unlink(path).catch(() => undefined);
      }
    });
  localQueues.set(path, mine);
  try {
    return await mine;
  } finally {
    if (localQueues.get(path) === mine) localQueues.delete(path);
  }
}

/**
 * Takes the lock for the rest of the process (released by the returned function, or at exit). Commands
 * that change a project hold its lock so two of them never interleave; the second one waits.
 */
export async function holdFileLock(path: string, timeoutMs: number): Promise<() => void> {
  await acquire(path, timeoutMs);
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}
