// The build context as the tar stream the engine's /build endpoint reads, honouring .dockerignore, with an
// inline Dockerfile added under a name of its own.
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { isIgnored, parseDockerignore, type IgnoreRule } from '../../build/dockerignore.js';

type EntryHeader = Partial<tar.Header> & { name: string };

export const INLINE_DOCKERFILE = '.cmp.inline.Dockerfile';

async function readIgnore(dir: string): Promise<IgnoreRule[]> {
  try {
    return parseDockerignore(await readFile(join(dir, '.dockerignore'), 'utf8'));
  } catch {
    return [];
  }
}

function addEntry(pack: tar.Pack, header: EntryHeader, body?: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, body ?? '', (err) => (err ? reject(err) : resolve()));
  });
}

function addFile(pack: tar.Pack, header: EntryHeader, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    const src = createReadStream(path);
    src.on('error', reject);
    src.pipe(entry);
  });
}

async function walk(
  pack: tar.Pack,
  root: string,
  rel: string,
  rules: IgnoreRule[],
  keep: ReadonlySet<string>,
): Promise<void> {
  const names = (await readdir(join(root, rel))).sort();
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const abs = join(root, r);
    const st = await lstat(abs);
    // Folders are walked even when ignored: a later `!` line may re-include something inside.
    if (isIgnored(rules, r) && !keep.has(r) && !st.isDirectory()) continue;
    const base = { name: r, mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
    if (st.isDirectory()) {
      if (!isIgnored(rules, r)) await addEntry(pack, { ...base, type: 'directory' });
      await walk(pack, root, r, rules, keep);
    } else if (st.isSymbolicLink()) {
      await addEntry(pack, { ...base, type: 'symlink', linkname: await readlink(abs) });
    } else if (st.isFile()) {
      await addFile(pack, { ...base, type: 'file', size: st.size }, abs);
    }
  }
}

/** Starts packing the context and returns the stream at once; packing errors surface on the stream. */
export function contextTar(
  dir: string,
  opts: { dockerfile?: string; inline?: string; extra?: { path: string; content: string }[] },
): Readable {
  const pack = tar.pack();
  void (async () => {
    const rules = await readIgnore(dir);
    const keep = new Set(['.dockerignore', opts.dockerfile ?? 'Dockerfile']);
    await walk(pack, dir, '', rules, keep);
    if (opts.inline !== undefined) {
      await addEntry(pack, { name: INLINE_DOCKERFILE, mode: 0o644, type: 'file' }, opts.inline);
    }
    for (const f of opts.extra ?? []) {
      await addEntry(pack, { name: f.path, mode: 0o644, type: 'file' }, f.content);
    }
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e instanceof Error ? e : new Error(String(e))));
  // tar-stream's streams are streamx ones; the HTTP client pipes node streams.
  return Readable.from(pack);
}

/** An empty context, for remote (git/URL) builds where the engine fetches the context itself. */
export function emptyTar(): Readable {
  const pack = tar.pack();
  pack.finalize();
  return Readable.from(pack);
}
