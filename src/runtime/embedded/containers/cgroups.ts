// runc creates `<controller>/cmp/<id>` in every hierarchy. cmp removes them itself when a container is
// removed (runc is not asked to delete a container whose process is gone), and also what a crash left.
import { readFile, readdir, rmdir } from 'node:fs/promises';
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

/** Kills what is still in a cgroup: a container's last processes die a moment after its init. */
async function killTasks(dir: string): Promise<void> {
  const text = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
  for (const pid of text.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function removeCgroups(id: string): Promise<void> {
  for (const dir of await cgroupDirs(id)) {
    for (let attempt = 0; ; attempt++) {
      const err = await rmdir(dir).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => e.code,
      );
      if (err !== 'EBUSY' || attempt >= 100) break;
      if (attempt === 10) await killTasks(dir);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
