// `cmp down`: containers, then networks, then (-v) volumes, then (--rmi) images.
import { down } from '../../engine/index.js';
import { removeImages } from '../../engine/remove-images.js';
import { observe } from '../../plan/observe.js';
import { computeDownPlan, formatDownPlan } from '../../plan/index.js';
import type { DownOptions } from '../../plan/types.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, stdio, type CommandIO } from './common.js';
import { removeOrphansWanted, secondsFlag } from './flags/values.js';
import { open, withSession } from './open.js';
import { stopWatchDaemon } from '../../watch/control.js';

export interface DownFlags {
  volumes: boolean;
  removeOrphans: boolean;
  rmi?: 'local' | 'all';
  timeoutMs?: number;
}

export function readDownFlags(o: Record<string, unknown>): DownFlags {
  const f: DownFlags = { volumes: o.volumes === true, removeOrphans: o.removeOrphans === true };
  if (o.rmi !== undefined) {
    if (o.rmi !== 'local' && o.rmi !== 'all')
      throw new UsageError(`--rmi: expected local or all, got "${String(o.rmi)}"`);
    f.rmi = o.rmi;
  }
  const t = secondsFlag(o.timeout, '--timeout');
  if (t !== undefined) f.timeoutMs = t;
  return f;
}

function downOptions(f: DownFlags, services: string[]): DownOptions {
  return {
    services,
    volumes: f.volumes,
    removeOrphans: f.removeOrphans,
    ...(f.timeoutMs !== undefined ? { timeoutMs: f.timeoutMs } : {}),
  };
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readDownFlags(o);
  const { project, runtime } = await open(g, args, { prepare: !g.dryRun, fromLabels: true });
  flags.removeOrphans = await removeOrphansWanted(flags.removeOrphans, project.env_files);
  if (g.dryRun) {
    checkServices(project, args);
    const plan = computeDownPlan(project, await observe(runtime, project), downOptions(flags, args));
    const text = formatDownPlan(plan);
    stdio().out(text === '' ? 'nothing to do\n' : text);
    return 0;
  }
  return withSession(g, (io) => downCommand(runtime, project, flags, args, io));
}

export async function downCommand(
  runtime: Runtime,
  project: Project,
  flags: DownFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  if (services.length === 0) await stopWatchDaemon(project.name);
  try {
    await down(runtime, project, downOptions(flags, services), io.sink, io.signal);
    if (flags.rmi) await removeImages(runtime, project, services, flags.rmi, io.sink);
    // An empty plan already carries compose's "No resource found to remove" warning (plan-down.ts).
  } finally {
    await runtime.release?.(project);
  }
  return 0;
}
