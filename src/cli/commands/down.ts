// `cmp down`: containers, then networks, then (-v) volumes; `--rmi` where the runtime can remove images.
import { down } from '../../engine/index.js';
import { observe } from '../../plan/observe.js';
import { computeDownPlan, formatDownPlan } from '../../plan/index.js';
import type { DownOptions } from '../../plan/types.js';
import type { Project } from '../../model/types.js';
import { imageRef } from '../../plan/service-facts.js';
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

interface ImageRemover {
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>;
}

function removerOf(runtime: Runtime): ImageRemover | undefined {
  const r = (runtime as Partial<ImageRemover>).removeImage;
  return typeof r === 'function' ? (runtime as Runtime & ImageRemover) : undefined;
}

/** `local`: images compose named itself (build-only services); `all`: every image the services use. */
export function imagesToRemove(project: Project, services: string[], mode: 'local' | 'all'): string[] {
  const names = services.length > 0 ? services : Object.keys(project.services);
  const refs = new Set<string>();
  for (const n of names) {
    const { ref, buildOnly } = imageRef(project, n);
    if (mode === 'all' || buildOnly) refs.add(ref);
  }
  return [...refs].sort();
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
    if (flags.rmi) await removeImages(runtime, project, services, flags.rmi, io);
    // An empty plan already carries compose's "No resource found to remove" warning (plan-down.ts).
  } finally {
    await runtime.release?.(project);
  }
  return 0;
}

async function removeImages(
  runtime: Runtime,
  project: Project,
  services: string[],
  mode: 'local' | 'all',
  io: CommandIO,
): Promise<void> {
  const remover = removerOf(runtime);
  if (!remover) {
    io.err(
      `Warning: --rmi is not supported by the ${runtime.kind} runtime yet; images were kept (see \`cmp image rm\`)\n`,
    );
    return;
  }
  for (const ref of imagesToRemove(project, services, mode)) {
    io.sink?.({ time: Date.now(), kind: 'image', name: ref, action: 'remove', status: 'Removing' });
    try {
      await remover.removeImage(ref);
      io.sink?.({ time: Date.now(), kind: 'image', name: ref, action: 'removed', status: 'Removed' });
    } catch (e) {
      io.sink?.({
        time: Date.now(),
        kind: 'image',
        name: ref,
        action: 'warning',
        status: 'Not removed',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
