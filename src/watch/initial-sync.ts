// `initial_sync`: before watching, copy what the rule covers, so changes made while nobody watched are
// not missed. cmp copies every file the rule accepts (compose only those newer than the image).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileChange } from './batcher.js';
import type { PathFilter } from './ignore.js';

/** Every file and folder under `root` the filter accepts, as changes. */
export async function walkAccepted(root: string, accepts: PathFilter): Promise<FileChange[]> {
  const out: FileChange[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(dir, e.name);
      if (!accepts(path)) continue;
      out.push({ path, kind: 'change' });
      if (e.isDirectory()) await visit(path);
    }
  };
  if (!accepts(root)) return out;
  const st = await stat(root).catch(() => undefined);
  if (st?.isFile()) return [{ path: root, kind: 'change' }];
  if (st?.isDirectory()) await visit(root);
  return out;
}
