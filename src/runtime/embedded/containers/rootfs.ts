// The container's root filesystem: an overlay of the image layers under a per-container upper dir,
// or, in host-rootfs mode, an empty directory that the spec fills with read-only binds of the host's.
import { lstat, mkdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { run, tryRun } from '../../../util/exec.js';
import { RuntimeError } from '../../../util/errors.js';
import { rootfsDir, upperDir, workDir } from './paths.js';

async function isMountPoint(path: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === path);
}

export async function mountOverlay(id: string, layers: string[]): Promise<string> {
  const target = rootfsDir(id);
  await Promise.all([
    mkdir(target, { recursive: true }),
    mkdir(upperDir(id), { recursive: true }),
    mkdir(workDir(id), { recursive: true }),
  ]);
  if (await isMountPoint(target)) return target;
  if (layers.length === 0) throw new RuntimeError(`container ${id}: image has no layers`);
  // overlay wants the top layer first.
  const lower = [...layers].reverse().join(':');
  const opts = `lowerdir=${lower},upperdir=${upperDir(id)},workdir=${workDir(id)}`;
  if (opts.length > 4000) {
    throw new RuntimeError(`container ${id}: too many image layers for one overlay mount (${layers.length})`);
  }
  await run('mount', ['-t', 'overlay', 'overlay', '-o', opts, target]);
  return target;
}

/** Top-level host dirs a host-rootfs container sees read-only (those that exist here). */
const HOST_DIRS = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'etc', 'opt'];

/** Makes the skeleton root and returns the host paths to bind; symlinks (merged /usr) are copied as links. */
export async function prepareHostRootfs(id: string): Promise<{ rootfs: string; binds: string[] }> {
  const root = rootfsDir(id);
  await mkdir(root, { recursive: true });
  const binds: string[] = [];
  for (const d of HOST_DIRS) {
    const host = `/${d}`;
    const st = await lstat(host).catch(() => undefined);
    if (!st) continue;
    const inside = join(root, d);
    if (st.isSymbolicLink()) {
      const to = await readlink(host);
      if (!(await lstat(inside).catch(() => undefined))) await symlink(to, inside);
    } else if (st.isDirectory()) {
      await mkdir(inside, { recursive: true });
      binds.push(host);
    }
  }
  for (const d of ['proc', 'sys', 'dev', 'tmp', 'run', 'var/tmp', 'root', 'home']) {
    await mkdir(join(root, d), { recursive: true });
  }
  return { rootfs: root, binds };
}

export async function unmountRootfs(id: string): Promise<void> {
  const target = rootfsDir(id);
  if (await isMountPoint(target)) {
    const r = await tryRun('umount', [target]);
    if (r.exitCode !== 0) await run('umount', ['-l', target]);
  }
}

export async function removeBundle(id: string, bundle: string): Promise<void> {
  await unmountRootfs(id);
  await rm(bundle, { recursive: true, force: true });
}
