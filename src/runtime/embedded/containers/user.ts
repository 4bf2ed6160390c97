// Resolves a Compose/Docker `user` value against the container's own /etc/passwd and /etc/group
// (read from the rootfs, never through the host's NSS).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import type { OciUser } from './oci-types.js';

export interface ResolvedUser extends OciUser {
  home: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

async function readLines(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

async function passwd(rootfs: string): Promise<PasswdEntry[]> {
  return (await readLines(join(rootfs, 'etc/passwd'))).map((f) => ({
    name: f[0] ?? '',
    uid: Number(f[2]),
    gid: Number(f[3]),
    home: f[5] || '/',
  }));
}

async function groups(rootfs: string): Promise<GroupEntry[]> {
  return (await readLines(join(rootfs, 'etc/group'))).map((f) => ({
    name: f[0] ?? '',
    gid: Number(f[2]),
    members: (f[3] ?? '').split(',').filter(Boolean),
  }));
}

const isNum = (s: string): boolean => /^\d+$/.test(s);

/** `user` is `name`, `uid`, `name:group`, `uid:gid` (either side a name or a number); empty means root. */
export async function resolveUser(
  rootfs: string,
  user: string | undefined,
  what: string,
): Promise<ResolvedUser> {
  const spec = (user ?? '').trim() || '0';
  const [u = '0', g] = spec.split(':', 2);
  const users = await passwd(rootfs);
  const entry = users.find((p) => (isNum(u) ? p.uid === Number(u) : p.name === u));
  if (!entry && !isNum(u)) {
    throw new RuntimeError(`${what}: user "${u}" is not in the container's /etc/passwd`);
  }
  const uid = entry ? entry.uid : Number(u);
  const allGroups = await groups(rootfs);
  let gid = entry ? entry.gid : 0;
  if (g !== undefined && g !== '') {
    if (isNum(g)) gid = Number(g);
    else {
      const ge = allGroups.find((x) => x.name === g);
      if (!ge) throw new RuntimeError(`${what}: group "${g}" is not in the container's /etc/group`);
      gid = ge.gid;
    }
  }
  // Supplementary groups come from /etc/group membership, as login would set them; only for named users.
  const extra = entry ? allGroups.filter((x) => x.members.includes(entry.name)).map((x) => x.gid) : [];
  const additionalGids = [...new Set([gid, ...extra])];
  return { uid, gid, additionalGids, home: entry?.home ?? '/' };
}
