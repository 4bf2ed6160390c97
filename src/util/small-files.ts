// Small state files (container, network and runc records, /proc entries) are read with the synchronous
// call. Each is at most tens of kB and in the page cache; fs.promises.readFile takes four thread-pool
// round trips for one (open, fstat, read, close), which on the CLI's busy main thread and in the
// supervisor's scans cost several times the read itself. Writes stay asynchronous: a rename can wait for
// the file system's journal, and the main thread must not (both measured, docs/benchmarks.md).
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
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
 * Replaces the file atomically (temp file beside it, then rename): readers see the old or the new text.
 * Only the owner may read it: these are cmp's records, and a container's holds its environment.
 */
export async function replaceSmall(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
