// A container's observed state: the record on disk plus `runc state` plus conmon's exit file.
import { readFile, stat } from 'node:fs/promises';
import type { ContainerState, ContainerStatus } from '../../types.js';
import type { ContainerMeta } from './meta.js';
import { conmonPidFile, exitFile } from './paths.js';
import { runcState, type RuncState } from './runc.js';

export async function readExit(id: string): Promise<{ code: number; at: number } | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(exitFile(id), 'utf8'), stat(exitFile(id))]);
    const code = Number(text.trim());
    return Number.isFinite(code) ? { code, at: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** conmon still alive means the exit code is not written yet: the container is not done. */
async function monitorAlive(id: string): Promise<boolean> {
  try {
    const pid = (await readFile(conmonPidFile(id), 'utf8')).trim();
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && stat.includes('(conmon)');
  } catch {
    return false;
  }
}

/** The command as the user wrote it: the init cmp adds for `init: true` is an implementation detail. */
function userCommand(args: string[]): string[] {
  return args[0] === '/dev/init' && args[1] === '--' ? args.slice(2) : args;
}

/** `states`, when given, is one `runc list` for many containers (undefined in it = runc has no record). */
export async function observe(meta: ContainerMeta, states?: Map<string, RuncState>): Promise<ContainerState> {
  const rs = states ? states.get(meta.id) : await runcState(meta.id);
  let status: ContainerStatus;
  if (rs?.status === 'running') status = 'running';
  else if (rs?.status === 'paused') status = 'paused';
  else if (rs?.status === 'created' || rs?.status === 'creating') status = 'created';
  else if (rs?.status === 'stopped' || meta.startedAt !== undefined)
    status = meta.restartPending && !meta.stoppedByUser ? 'restarting' : 'exited';
  else status = 'created';
  const ended = status === 'exited' || status === 'restarting';
  let exit = ended ? await readExit(meta.id) : undefined;
  if (ended && !exit && (await monitorAlive(meta.id))) {
    // runc already says stopped; conmon is about to write the code. Wait for it briefly.
    const until = Date.now() + 2000;
    while (!exit && Date.now() < until && (await monitorAlive(meta.id))) {
      await new Promise((r) => setTimeout(r, 10));
      exit = await readExit(meta.id);
    }
    exit ??= await readExit(meta.id);
  }
  const out: ContainerState = {
    id: meta.id,
    name: meta.name,
    labels: meta.labels,
    image: meta.image,
    command: userCommand(meta.spec.process.args).join(' '),
    status,
    restartCount: meta.restartCount,
    createdAt: meta.createdAt,
    networks: meta.networks,
    ports: meta.ports,
  };
  if (meta.startedAt !== undefined) out.startedAt = meta.startedAt;
  if (ended) {
    // A container that died without conmon noticing (host reboot, conmon killed) has no exit file.
    out.exitCode = exit?.code ?? 255;
    const finished = meta.finishedAt ?? exit?.at;
    if (finished !== undefined) out.finishedAt = finished;
  }
  if (rs && (status === 'running' || status === 'paused')) {
    out.pid = rs.pid;
    if (meta.health) out.health = meta.health;
  }
  return out;
}
