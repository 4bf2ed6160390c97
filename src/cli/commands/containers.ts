// `cmp kill`, `pause`, `unpause`: straight to the runtime, on the project's containers in dependency order
// (dependents first for kill and pause, dependencies first for unpause).
import type { EventAction } from '../../engine/events.js';
import type { Project } from '../../model/types.js';
import type { ContainerState, Runtime } from '../../runtime/types.js';
import { RuntimeError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { inDependencyOrder, selectContainers, serviceOf, type CommandIO } from './common.js';
import { open, withSession } from './open.js';

type Opts = Record<string, unknown>;

function note(io: CommandIO, c: ContainerState, action: EventAction, status: string): void {
  io.sink?.({ time: Date.now(), kind: 'container', name: c.name, service: serviceOf(c), action, status });
}

/** `-s 9`, `-s KILL`, `-s SIGKILL` all mean SIGKILL. */
export function normaliseSignal(text: string): string {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) return t;
  return t.startsWith('SIG') ? t : `SIG${t}`;
}

export async function killCommand(
  runtime: Runtime,
  project: Project,
  flags: { signal: string },
  services: string[],
  io: CommandIO,
): Promise<number> {
  const running = (
    await selectContainers(runtime, project, { services, all: true, oneoff: 'include' })
  ).filter((c) => c.status === 'running' || c.status === 'restarting' || c.status === 'paused');
  for (const c of inDependencyOrder(project, running, true)) {
    note(io, c, 'kill', 'Killing');
    await runtime.killContainer(c.id, normaliseSignal(flags.signal));
    note(io, c, 'kill', 'Killed');
  }
  return 0;
}

export async function pauseCommand(
  runtime: Runtime,
  project: Project,
  services: string[],
  io: CommandIO,
): Promise<number> {
  const selected = await selectContainers(runtime, project, { services, all: false });
  // As compose: pausing a paused container is an error, and nothing is paused.
  const paused = selected.find((c) => c.status === 'paused');
  if (paused) throw new RuntimeError(`container ${paused.name} is already paused`);
  const running = selected.filter((c) => c.status === 'running');
  for (const c of inDependencyOrder(project, running, true)) {
    note(io, c, 'stop', 'Pausing');
    await runtime.pauseContainer(c.id);
    note(io, c, 'stopped', 'Paused');
  }
  return 0;
}

export async function unpauseCommand(
  runtime: Runtime,
  project: Project,
  services: string[],
  io: CommandIO,
): Promise<number> {
  const paused = (await selectContainers(runtime, project, { services, all: true })).filter(
    (c) => c.status === 'paused',
  );
  for (const c of inDependencyOrder(project, paused)) {
    note(io, c, 'start', 'Unpausing');
    await runtime.unpauseContainer(c.id);
    note(io, c, 'started', 'Unpaused');
  }
  return 0;
}

export async function runKill(g: GlobalOptions, o: Opts, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  const signal = typeof o.signal === 'string' ? o.signal : 'SIGKILL';
  return withSession(g, (io) => killCommand(runtime, project, { signal }, args, io));
}

export async function runPause(g: GlobalOptions, _o: Opts, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  return withSession(g, (io) => pauseCommand(runtime, project, args, io));
}

export async function runUnpause(g: GlobalOptions, _o: Opts, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  return withSession(g, (io) => unpauseCommand(runtime, project, args, io));
}
