// `cp` and `export` on the embedded runtime. A running container is reached through its init's
// /proc/<pid>/root (its own mounts, volumes included, as `docker cp` sees them); a stopped one through its
// overlay rootfs. Paths inside are resolved against the container's root (resolveInside), never the
// host's, so a link to /etc in the container cannot make cmp read or write the host's /etc. Archives are
// made with tar's create mode, which stores links as links and never follows them.
import { spawn } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { run } from '../../../util/exec.js';
import { RuntimeError } from '../../../util/errors.js';
import type { CopyOptions } from '../../types.js';
import { copyIntoRoot, resolveInside, type CopyItem } from './copy.js';

/** A tar stream of `root`'s tree, this filesystem only (what `export` writes). */
export function tarStream(root: string): Readable {
  const child = spawn('tar', ['--one-file-system', '--numeric-owner', '-C', root, '-cf', '-', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let why = '';
  child.stderr.on('data', (d: Buffer) => (why += d.toString()));
  child.on('close', (code) => {
    if (code !== 0)
      child.stdout.destroy(new RuntimeError(`export: tar failed: ${why.trim().split('\n').pop() ?? code}`));
  });
  return child.stdout;
}

/**
 * Copies `src` (a container path) to `dest` on the host, as `docker cp CONTAINER:SRC DEST` does: into
 * DEST when it is a folder, as DEST otherwise; `SRC/.` copies a folder's content.
 */
export async function copyOut(root: string, src: string, dest: string, opts: CopyOptions): Promise<void> {
  const contentOnly = /\/\.$/.test(src);
  const normal = posix.normalize(src);
  const inside = opts.followLink
    ? await resolveInside(root, normal)
    : `${(await resolveInside(root, posix.dirname(normal))).replace(/\/+$/, '')}/${posix.basename(normal)}`;
  const st = await lstat(inside).catch(() => undefined);
  if (!st) throw new RuntimeError(`could not find the file ${src} in the container`);
  const destSt = await stat(dest).catch(() => undefined);
  if (contentOnly || !destSt?.isDirectory()) {
    if (contentOnly && destSt && !destSt.isDirectory())
      throw new RuntimeError(`cannot copy a folder's content to ${dest}: it is not a folder`);
    if (!destSt && !(await stat(dirname(dest)).catch(() => undefined))?.isDirectory())
      throw new RuntimeError(`no such folder: ${dirname(dest)}`);
  }
  const archiveOwners = opts.archive ? '--same-owner' : '--no-same-owner';
  if (contentOnly) {
    if (!destSt) await mkdir(dest);
    await pipeTar(inside, '.', dest, archiveOwners);
    return;
  }
  if (destSt?.isDirectory()) {
    await pipeTar(dirname(inside), basename(inside), dest, archiveOwners);
    return;
  }
  // A new name: unpacked beside the target, then renamed into place.
  const tmp = await mkdtemp(join(dirname(dest), '.cmp-cp-'));
  try {
    await pipeTar(dirname(inside), basename(inside), tmp, archiveOwners);
    await rm(dest, { recursive: true, force: true });
    await rename(join(tmp, basename(inside)), dest);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function pipeTar(fromDir: string, member: string, toDir: string, owners: string): Promise<void> {
  await run('sh', [
    '-c',
    'tar --numeric-owner -C "$1" -cf - -- "$2" | tar -C "$3" -xpf - "$4"',
    'cp',
    fromDir,
    member,
    toDir,
    owners,
  ]);
}

/** The host tree under `src` as copy items, parents first, with container paths under `dest`. */
async function walk(src: string, dest: string): Promise<CopyItem[]> {
  const out: CopyItem[] = [{ hostPath: src, containerPath: dest }];
  const st = await lstat(src);
  if (!st.isDirectory()) return out;
  for (const name of (await readdir(src)).sort())
    out.push(...(await walk(join(src, name), posix.join(dest, name))));
  return out;
}

/** Copies `src` on the host into the container at `dest`, with `docker cp SRC CONTAINER:DEST`'s rules. */
export async function copyIn(root: string, src: string, dest: string, opts: CopyOptions): Promise<void> {
  const contentOnly = /\/\.$/.test(src);
  const from = opts.followLink ? await realpath(src).catch(() => src) : src.replace(/\/\.$/, '') || '/';
  const st = await lstat(from).catch(() => undefined);
  if (!st) throw new RuntimeError(`no such file or folder: ${src}`);
  const target = await resolveInside(root, dest);
  const targetSt = await stat(target).catch(() => undefined);
  if (!targetSt && !(await stat(await resolveInside(root, posix.dirname(dest))).catch(() => undefined)))
    throw new RuntimeError(`no such folder in the container: ${posix.dirname(dest)}`);
  let items: CopyItem[];
  if (contentOnly && st.isDirectory()) {
    items = (await walk(from, dest)).slice(targetSt ? 1 : 0);
  } else if (targetSt?.isDirectory()) {
    items = await walk(from, posix.join(dest, basename(from)));
  } else {
    if (st.isDirectory() && targetSt) throw new RuntimeError(`cannot copy a folder onto the file ${dest}`);
    items = await walk(from, dest);
  }
  await copyIntoRoot(root, items, opts.archive ? undefined : { uid: 0, gid: 0 });
}
