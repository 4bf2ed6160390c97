// `cmp watch [SERVICE...]`: bring the services up (unless --no-up), then sync/rebuild/restart them as
// their `develop.watch` rules say, in the foreground until Ctrl-C (which ends it with 0: it is the
// normal way out). `--stop` ends the detached watcher `up -d --watch` started.
import { up } from '../../engine/index.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import { stopWatchDaemon, watchDaemonPid } from '../../watch/control.js';
import { openWatch, projectLock } from '../../watch/session.js';
import { watchedServices } from '../../watch/rules.js';
import type { GlobalOptions } from '../globals.js';
import { buildForUp } from '../../engine/build.js';
import { checkServices, stdio, type CommandIO } from './common.js';
import { withSession } from './open.js';

export interface WatchFlags {
  noUp: boolean;
  prune: boolean;
  quiet: boolean;
  stop: boolean;
}

export function readWatchFlags(o: Record<string, unknown>): WatchFlags {
  return { noUp: o.up === false, prune: o.prune !== false, quiet: o.quiet === true, stop: o.stop === true };
}

async function load(g: GlobalOptions, services: string[]): Promise<{ project: Project; runtime: Runtime }> {
  const { loadForCommand, runtimeKindFor } = await import('../context.js');
  const { openRuntime } = await import('../../runtime/open.js');
  const project = await loadForCommand(g, services);
  return { project, runtime: await openRuntime(runtimeKindFor(g, project)) };
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readWatchFlags(o);
  const { project, runtime } = await load(g, args);
  const io = stdio();
  if (flags.stop) {
    const stopped = await stopWatchDaemon(project.name);
    io.err(
      stopped
        ? `Watcher of project ${project.name} stopped\n`
        : `No watcher runs for project ${project.name}\n`,
    );
    return 0;
  }
  checkServices(project, args);
  watchedServices(project, args);
  const pid = await watchDaemonPid(project.name);
  if (pid !== undefined) {
    throw new UsageError(`a detached watcher already runs for project ${project.name} (pid ${pid})`, {
      hint: 'end it with `cmp watch --stop` first',
    });
  }
  if (!flags.noUp) {
    await withSession(flags.quiet ? { ...g, progress: 'quiet' } : g, (session) =>
      bringUp(runtime, project, args, session),
    );
  }
  return watchForeground(runtime, project, args, flags, io);
}

async function bringUp(runtime: Runtime, project: Project, services: string[], io: CommandIO): Promise<void> {
  await projectLock(project.name)(async () => {
    await runtime.prepare?.(project);
    await buildForUp(
      runtime,
      project,
      { services, noDeps: false, build: false, noBuild: false },
      io.sink,
      io.signal,
    );
    await up(runtime, project, { services }, io.sink, io.signal);
  });
}

export async function watchForeground(
  runtime: Runtime,
  project: Project,
  services: string[],
  flags: WatchFlags,
  io: CommandIO,
): Promise<number> {
  const handle = await openWatch({
    runtime,
    project,
    services,
    log: (line) => io.out(`${line}\n`),
    prune: flags.prune,
  });
  io.out('Watch enabled\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await handle.close();
  return 0;
}
