// Copies host files into a running container, for `develop.watch` sync. The container is reached through
// its init's /proc/<pid>/root, which sees the container's own mounts (overlay, tmpfs, volumes), not just
// the overlay's merged dir. Symlinks inside the container are resolved
// against the container's root, never the host's, so a link to /srv cannot make cmp write the host's /srv.
import {
  chmod,
  chown,
  copyFile,
  lchown,
  lstat,
  mkdir,
  readlink,
  rename,
  rm,
  symlink,
} from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import type { ContainerMeta } from './meta.js';
import type { OciMount } from './oci-types.js';

export interface CopyItem {
  hostPath: string;
  containerPath: string;
}

/** Writable places of a host-rootfs container whatever its mounts: its private tmpfs dirs. */
const HOST_ROOTFS_WRITABLE = ['/tmp', '/var/tmp', '/run'];
const SYSTEM_MOUNTS = /^\/(proc|sys|dev)(\/|$)/;

const MAX_LINK_HOPS = 40;

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** Host-rootfs containers have a read-only root (the host's): only their tmpfs dirs and mounts take files. */
export function writablePlaces(mounts: readonly OciMount[]): string[] {
  const extra = mounts
    .filter((m) => !(m.options ?? []).includes('ro') && !SYSTEM_MOUNTS.test(m.destination))
    .map((m) => m.destination);
  return [...new Set([...HOST_ROOTFS_WRITABLE, ...extra])];
}

export function checkHostRootfsTarget(meta: Pick<ContainerMeta, 'name' | 'spec'>, target: string): void {
  const places = writablePlaces(meta.spec.mounts ?? []);
  if (places.some((p) => under(target, p))) return;
  throw new RuntimeError(
    `cannot sync ${target} into ${meta.name}: a host-rootfs container's root is the host's own, read-only`,
    { hint: `set the watch target under ${HOST_ROOTFS_WRITABLE.join(', ')} or a volume` },
  );
}

/**
 * The host path of `target` inside the container's root `root`, following symlinks as the container
 * would; components that do not exist yet are kept as they are.
 */
export async function resolveInside(root: string, target: string): Promise<string> {
  const todo = posix.normalize(target).split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = `${root}/${[...done, part].join('/')}`;
    const st = await lstat(here).catch(() => undefined);
    if (!st) return `${root}/${[...done, part, ...todo].join('/')}`;
    if (!st.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_LINK_HOPS) throw new RuntimeError(`${target}: too many levels of symbolic links`);
    const link = await readlink(here);
    if (link.startsWith('/')) done.length = 0;
    todo.unshift(...link.split('/').filter(Boolean));
  }
  return `${root}/${done.join('/')}`;
}

/** The parent resolved, the last component not: a link being replaced or deleted is not followed. */
async function place(root: string, containerPath: string): Promise<string> {
  const normal = posix.normalize(containerPath);
  const parent = await resolveInside(root, posix.dirname(normal));
  return `${parent.replace(/\/+$/, '')}/${posix.basename(normal)}`;
}

/** Who copied files belong to; undefined keeps the host file's owner. */
export interface Owner {
  uid: number;
  gid: number;
}

async function copyOne(root: string, item: CopyItem, owner?: Owner): Promise<void> {
  const st = await lstat(item.hostPath).catch(() => undefined);
  // Gone since the event: the deletion that follows will say so.
  if (!st) return;
  const dest = await place(root, item.containerPath);
  await mkdir(posix.dirname(dest), { recursive: true });
  const existing = await lstat(dest).catch(() => undefined);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await rm(dest, { force: true });
    await mkdir(dest, { recursive: true });
    await chmod(dest, st.mode & 0o7777);
    await chown(dest, owner?.uid ?? st.uid, owner?.gid ?? st.gid);
    return;
  }
  // A new file is written beside the old one and renamed over it, so the container never reads half a file.
  const tmp = `${dest}.cmp-sync-${randomBytes(4).toString('hex')}`;
  try {
    if (st.isSymbolicLink()) await symlink(await readlink(item.hostPath), tmp);
    else if (st.isFile()) {
      await copyFile(item.hostPath, tmp);
      await chmod(tmp, st.mode & 0o7777);
    } else return;
    await (st.isSymbolicLink() ? lchown : chown)(tmp, owner?.uid ?? st.uid, owner?.gid ?? st.gid).catch(
      async () => {
        if (!st.isSymbolicLink()) throw new RuntimeError(`cannot set the owner of ${item.containerPath}`);
      },
    );
    if (existing?.isDirectory()) await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * `pid`: the container's init (undefined when it does not run). Deletions come first so a path that turned from a folder
 * into a file (or back) ends as the host has it.
 */
export async function copyIntoContainer(
  meta: ContainerMeta,
  pid: number | undefined,
  files: readonly CopyItem[],
  deletions: readonly string[],
): Promise<void> {
  if (meta.hostRootfs) {
    for (const t of [...files.map((f) => f.containerPath), ...deletions]) checkHostRootfsTarget(meta, t);
  }
  if (pid === undefined || pid <= 0) {
    throw new RuntimeError(`container ${meta.name} is not running`, {
      hint: 'files are synced into running containers only',
    });
  }
  const root = `/proc/${pid}/root`;
  for (const d of deletions) {
    if (posix.normalize(d) === '/') throw new RuntimeError(`refusing to delete / in ${meta.name}`);
    await rm(await place(root, d), { recursive: true, force: true });
  }
  await copyIntoRoot(`/proc/${pid}/root`, files);
}

/** Copies host files to their places under a container root `root`, parents first. */
export async function copyIntoRoot(root: string, files: readonly CopyItem[], owner?: Owner): Promise<void> {
  for (const f of files) await copyOne(root, f, owner);
}
