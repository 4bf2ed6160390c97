// What a host reboot takes from one project, done by hand: its supervisor, its containers' conmon and
// processes, runc's records and bundles, namespaces, cgroups, the bridge and the project's run folder.
// The records under the state root stay, as they do on disk.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runRoot } from '../../src/util/paths.js';

function kill(pidFile: string): void {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  } catch {
    // gone already
  }
}

function quietly(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

/** What a reboot takes from one project's containers; the records under the state root stay. */
export function simulateReboot(project: string, ids: string[], bridge: string): void {
  const run = runRoot();
  kill(join(run, project, 'supervisor.pid'));
  for (const id of ids) {
    kill(join(run, 'containers', id, 'conmon.pid'));
    const state = JSON.parse(readFileSync(join(run, 'runc', id, 'state.json'), 'utf8')) as {
      init_process_pid: number;
    };
    process.kill(state.init_process_pid, 'SIGKILL');
  }
  execFileSync('sleep', ['0.3']);
  for (const id of ids) {
    // A reboot drops every mount: the overlay root of an image's container too.
    quietly('umount', ['-l', join(run, 'containers', id, 'rootfs')]);
    rmSync(join(run, 'runc', id), { recursive: true, force: true });
    rmSync(join(run, 'containers', id), { recursive: true, force: true });
    quietly('ip', ['netns', 'del', `cmp-${id.slice(0, 12)}`]);
    for (const c of execFileSync('ls', ['/sys/fs/cgroup']).toString().split('\n').filter(Boolean)) {
      quietly('rmdir', [join('/sys/fs/cgroup', c, 'cmp', id)]);
    }
  }
  quietly('ip', ['link', 'del', bridge]);
  rmSync(join(run, project), { recursive: true, force: true });
}
