// `cmp start`, `stop`, `restart`: through the engine, so they honour depends_on order and conditions.
import { restart, start, stop } from '../../engine/index.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, type CommandIO } from './common.js';
import { secondsFlag } from './flags/values.js';
import { open, withSession } from './open.js';

type Opts = Record<string, unknown>;

export interface StartFlags {
  wait: boolean;
  waitTimeoutMs?: number;
}

export async function startCommand(
  runtime: Runtime,
  project: Project,
  flags: StartFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  await start(
    runtime,
    project,
    {
      services,
      wait: flags.wait,
      ...(flags.waitTimeoutMs !== undefined ? { waitTimeoutMs: flags.waitTimeoutMs } : {}),
    },
    io.sink,
    io.signal,
  );
  return 0;
}

export async function stopCommand(
  runtime: Runtime,
  project: Project,
  flags: { timeoutMs?: number },
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  await stop(runtime, project, { services, ...flags }, io.sink, io.signal);
  return 0;
}

export async function restartCommand(
  runtime: Runtime,
  project: Project,
  flags: { timeoutMs?: number; noDeps: boolean },
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  await restart(
    runtime,
    project,
    {
      services,
      noDeps: flags.noDeps,
      ...(flags.timeoutMs !== undefined ? { timeoutMs: flags.timeoutMs } : {}),
    },
    io.sink,
    io.signal,
  );
  return 0;
}

function timeout(o: Opts): { timeoutMs?: number } {
  const t = secondsFlag(o.timeout, '--timeout');
  return t === undefined ? {} : { timeoutMs: t };
}

export async function runStart(g: GlobalOptions, o: Opts, args: string[]): Promise<number> {
  const waitTimeoutMs = secondsFlag(o.waitTimeout, '--wait-timeout');
  const flags: StartFlags = {
    wait: o.wait === true,
    ...(waitTimeoutMs !== undefined ? { waitTimeoutMs } : {}),
  };
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  return withSession(g, (io) => startCommand(runtime, project, flags, args, io));
}

export async function runStop(g: GlobalOptions, o: Opts, args: string[]): Promise<number> {
  const flags = timeout(o);
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  return withSession(g, (io) => stopCommand(runtime, project, flags, args, io));
}

export async function runRestart(g: GlobalOptions, o: Opts, args: string[]): Promise<number> {
  const flags = { ...timeout(o), noDeps: o.deps === false };
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  return withSession(g, (io) => restartCommand(runtime, project, flags, args, io));
}
