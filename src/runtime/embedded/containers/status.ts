// A container's observed state: the record on disk plus `runc state` plus conmon's exit file.
import { readFileSync, statSync } from 'node:fs';
import type { ContainerState, ContainerStatus } from '../../types.js';
import { exposedPorts } from '../../exposed-ports.js';
import type { ContainerMeta } from './meta.js';
import { conmonPidFile, exitFile } from './paths.js';
import { runcState, type RuncState } from './runc.js';

export async function readExit(id: string): Promise<{ code: number; at: number } | undefined> {
  try {
    // Synchronous: small files, read for every stopped container at every listing (util/small-files.ts).
    const text = readFileSync(exitFile(id), 'utf8');
    const st = statSync(exitFile(id));
    const code = Number(text.trim());
    return Number.isFinite(code) ? { code, at: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * conmon still running means the exit code is not written yet: the container is not done. A zombie conmon
 * has just ended; its exit file has been seen to appear a moment after that, so it counts as finishing.
 */
async function monitorState(id: string): Promise<'running' | 'ending' | 'gone'> {
  try {
    const pid = readFileSync(conmonPidFile(id), 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (!stat.includes('(conmon)')) return 'gone';
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' ? 'ending' : 'running';
  } catch {
    return 'gone';
  }
}

/** Waits for conmon's exit file while conmon is running or has just ended; undefined if it never comes. */
export async function awaitExit(id: string): Promise<{ code: number; at: number } | undefined> {
  const until = Date.now() + 2000;
  let endingSince: number | undefined;
  for (;;) {
    const exit = await readExit(id);
    if (exit) return exit;
    const m = await monitorState(id);
    if (m === 'gone') return readExit(id);
    if (m === 'ending') endingSince ??= Date.now();
    if (Date.now() >= until || (endingSince !== undefined && Date.now() - endingSince > 250))
      return undefined;
    await new Promise((r) => setTimeout(r, 5));
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
  const exit = ended ? ((await readExit(meta.id)) ?? (await awaitExit(meta.id))) : undefined;
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
    const exposed = exposedPorts(
      meta.service?.expose ?? [],
      meta.imageConfig?.exposedPorts ?? [],
      meta.ports,
    );
    if (exposed.length > 0) out.exposed = exposed;
    if (meta.health) out.health = meta.health;
  }
  return out;
}
