// runc creates `<controller>/cmp/<id>` in every hierarchy and removes it on delete; this removes what a
// crash may have left behind, so `rm` always leaves the cgroup tree as it found it.
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CGROUP_PARENT } from './spec.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

export async function cgroupDirs(id: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(CGROUP_ROOT).catch(() => [] as string[]);
  for (const c of entries) out.push(join(CGROUP_ROOT, c, CGROUP_PARENT, id));
  out.push(join(CGROUP_ROOT, CGROUP_PARENT, id));
  return out;
}

export async function removeCgroups(id: string): Promise<void> {
  for (const dir of await cgroupDirs(id)) {
    await rmdir(dir).catch(() => undefined);
  }
}
