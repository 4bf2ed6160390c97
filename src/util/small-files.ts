// Small state files (container, network and runc records, /proc entries) are read with the synchronous
// call. Each is at most tens of kB and in the page cache; fs.promises.readFile takes four thread-pool
// round trips for one (open, fstat, read, close), which on the CLI's busy main thread and in the
// supervisor's scans cost several times the read itself. Writes stay asynchronous: a rename can wait for
// the file system's journal, and the main thread must not (both measured, docs/benchmarks.md).
import { readFileSync, renameSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/** The file's text, or undefined when it does not exist. Other errors are thrown. */
export function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Replaces the file atomically (temp file beside it, synced, then renamed): readers see the old or the
 * new text, and a crash or power loss right after the rename cannot leave the new name on an empty file
 * (ext4 and xfs may commit a rename before the data it points to unless the data was synced first).
 * Only the owner may read it: these are cmp's records, and a container's holds its environment.
 */
export async function replaceSmall(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(tmp, 'w', 0o600);
  try {
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (e) {
    // A full disk or a folder removed meanwhile: no half-written temporary file stays behind.
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Where a damaged state file was moved and why; what the caller reports. */
export interface Quarantined {
  path: string;
  movedTo: string;
  reason: string;
}

const reported = new Set<string>();

/**
 * Moves a damaged state file aside (`<path>.corrupt-<ms>`) so the next reader starts from its absence,
 * and says so once per process on stderr (the supervisor's goes to its log). undefined when another
 * process moved it first. The file is kept, not deleted: it is what a person debugging needs.
 */
export function quarantine(path: string, reason: string): Quarantined | undefined {
  const movedTo = `${path}.corrupt-${Date.now()}`;
  try {
    renameSync(path, movedTo);
  } catch {
    return undefined;
  }
  if (!reported.has(path)) {
    reported.add(path);
    process.stderr.write(`WARN ${path}: damaged state file (${reason}); moved aside to ${movedTo}\n`);
  }
  return { path, movedTo, reason };
}

/**
 * Parses a JSON state file: undefined when it is missing, and when it is empty or not a JSON object
 * (truncated by a full disk, a crash of an older cmp, a person's edit), after moving it aside.
 */
export function readJsonState<T extends object>(path: string): T | undefined {
  const text = readSmall(path);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (e) {
    quarantine(path, e instanceof Error ? e.message : String(e));
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    quarantine(path, text.trim() === '' ? 'empty' : 'not a JSON object');
    return undefined;
  }
  return value as T;
}
