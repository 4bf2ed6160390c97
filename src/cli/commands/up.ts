// `cmp up`: converge the stack, then (attached) follow its logs, or (-d / --wait) return.
import { planUp, up } from '../../engine/index.js';
import { buildGraph } from '../../graph/dependency-graph.js';
import { withDependencies } from '../../graph/select.js';
import type { EngineEvent } from '../../engine/events.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { renderTimeline } from '../../ui/timeline.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { watchForEnd } from './abort-watch.js';
import { attach } from './attach.js';
import { builderOf, buildForUp } from '../../engine/build.js';
import { checkServices, nowOf, stdio, type CommandIO } from './common.js';
import {
  attachedServices,
  checkUpConflicts,
  isDetached,
  readUpFlags,
  upOptions,
  withPullPolicy,
  type UpFlags,
} from './flags/up-flags.js';
import { removeOrphansWanted } from './flags/values.js';
import { open, withSession } from './open.js';

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readUpFlags(o);
  if (g.allResources) flags.allResources = true;
  checkUpConflicts(flags, process.env);
  if (o.menu === 'true')
    throw new UsageError('--menu is not supported by cmp: attached up has no key menu', {
      hint: "use --menu=false, or 'cmp up -d' and 'cmp logs -f'",
    });
  const { project, runtime, unlock } = await open(g, args, { prepare: !g.dryRun });
  await warnIgnoredAttributes(g, project, args, flags.noDeps);
  flags.removeOrphans = await removeOrphansWanted(flags.removeOrphans, project.env_files);
  if (g.dryRun) return upDryRun(runtime, project, flags, args, stdio());
  if (flags.watch) (await import('../../watch/rules.js')).watchedServices(project, args);
  // An attached up lets go of the project once its changes are made, so `stop`, `down` or `run` from
  // another terminal (and the supervisor's restarts) need not wait for it to end.
  const code = await withSession(g, (io, session) =>
    upCommand(
      runtime,
      project,
      flags,
      args,
      { ...io, ...quietPull(io, o.quietPull === true), changesDone: unlock },
      session.events,
    ),
  );
  if (flags.watch && isDetached(flags) && code === 0) await startDetachedWatch(g, project, args);
  return code;
}

/** Attributes the chosen runtime accepts but does not apply: one `WARN file:line:col:` line each, on stderr. */
async function warnIgnoredAttributes(
  g: GlobalOptions,
  project: Project,
  services: string[],
  noDeps: boolean,
): Promise<void> {
  const { runtimeKindFor } = await import('../context.js');
  const { ignoredAttributeWarnings } = await import('../../lint/ignored.js');
  checkServices(project, services);
  const scope = services.length > 0 ? [...withDependencies(buildGraph(project), services, noDeps)] : [];
  for (const line of ignoredAttributeWarnings(project, runtimeKindFor(g, project), process.cwd(), scope))
    process.stderr.write(`WARN ${line}\n`);
}

/** `up -d --watch` (compose refuses it): the watching goes on in a background process of its own. */
async function startDetachedWatch(g: GlobalOptions, project: Project, services: string[]): Promise<void> {
  const { startWatchDaemon, watchLogFile } = await import('../../watch/control.js');
  const { runtimeKindFor } = await import('../context.js');
  const pid = await startWatchDaemon({
    project: project.name,
    cwd: process.cwd(),
    load: {
      files: g.file,
      projectName: g.projectName,
      projectDirectory: g.projectDirectory,
      envFiles: g.envFile,
      profiles: g.profile,
    },
    runtime: runtimeKindFor(g, project),
    services,
    prune: true,
  });
  process.stderr.write(
    `Watching in the background (pid ${pid}, log ${watchLogFile(project.name)}); end it with cmp watch --stop\n`,
  );
}

export async function upDryRun(
  runtime: Runtime,
  project: Project,
  flags: UpFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  const { text } = await planUp(runtime, withPullPolicy(project, flags.pull), upOptions(flags, services));
  io.out(text === '' ? 'nothing to do\n' : text);
  return 0;
}

export async function upCommand(
  runtime: Runtime,
  given: Project,
  flags: UpFlags,
  services: string[],
  io: CommandIO,
  events?: readonly EngineEvent[],
): Promise<number> {
  const project = withPullPolicy(given, flags.pull);
  checkServices(project, services);
  if (flags.exitCodeFrom !== undefined) checkServices(project, [flags.exitCodeFrom]);
  for (const s of Object.keys(flags.scale)) checkServices(project, [s]);
  // Checked before anything is made, so a wrong --attach costs nothing.
  const follow = isDetached(flags) || flags.noStart ? [] : attachedServices(project, flags, services);
  const startedAt = nowOf(io);
  // pull_policy: build means "always build" to compose; only a runtime with a builder can.
  const forceBuild = flags.build || (flags.pull === 'build' && builderOf(runtime) !== undefined);
  await buildForUp(
    runtime,
    project,
    { services, noDeps: flags.noDeps, build: forceBuild, noBuild: flags.noBuild },
    io.sink,
    io.signal,
  );
  // Each container's restart count before this up: attached, the runs its policy restarted meanwhile are
  // owed their exit lines.
  const restartsBefore =
    follow.length > 0
      ? new Map(
          (await runtime.listContainers(project.name, { all: true })).map((c) => [c.id, c.restartCount]),
        )
      : undefined;
  await upUntilAbort(runtime, project, flags, services, follow, startedAt, io);
  if (flags.timeline && events) io.out(renderTimeline(events));
  if (isDetached(flags) || flags.noStart) return 0;
  io.changesDone?.();
  if (follow.length === 0) {
    // compose returns too when --no-attach and `attach: false` leave nothing to follow.
    io.err('No service to attach to (--no-attach, attach: false); the containers keep running\n');
    return 0;
  }
  // The view's last frame goes above the logs: drawn over them, it would hide them and itself repeat.
  await io.endProgress?.();
  const watching = flags.watch
    ? await (await import('../../watch/attached.js')).watchAttached(runtime, project, services, io.out)
    : undefined;
  try {
    return await attach(
      runtime,
      project,
      {
        services: follow,
        // As compose: what was named on the command line is what `up` waits for and what Ctrl-C or an
        // abort stops (with its dependents); the dependencies it started run on.
        ...(services.length > 0 ? { required: services, stopScope: services } : {}),
        ...(restartsBefore ? { restartsBefore } : {}),
        abortOnExit: flags.abortOnExit,
        abortOnFailure: flags.abortOnFailure,
        ...(flags.exitCodeFrom !== undefined ? { exitCodeFrom: flags.exitCodeFrom } : {}),
        color: flags.color && io.color === true,
        noPrefix: !flags.logPrefix,
        timestamps: flags.timestamps,
        ...(flags.timeoutMs !== undefined ? { timeoutMs: flags.timeoutMs } : {}),
        sinceMs: startedAt,
      },
      io,
    );
  } finally {
    await watching?.close();
  }
}

/** `--quiet-pull`: the progress view shows no image pulls (their failures still end the command). */
export function quietPull(io: CommandIO, quiet: boolean): Partial<CommandIO> {
  const sink = io.sink;
  if (!quiet || !sink) return {};
  return { sink: (e) => (e.kind === 'image' && e.action !== 'error' ? undefined : sink(e)) };
}

/**
 * The engine's `up`; with an abort flag, the first attached container to end while it still starts
 * services stops it there, as with compose: nothing starts once the abort has begun. The attaching that
 * follows sees that end and aborts.
 */
async function upUntilAbort(
  runtime: Runtime,
  project: Project,
  flags: UpFlags,
  services: string[],
  follow: string[],
  sinceMs: number,
  io: CommandIO,
): Promise<void> {
  const aborts = flags.abortOnExit || flags.exitCodeFrom !== undefined || flags.abortOnFailure;
  if (!aborts || follow.length === 0) {
    await up(runtime, project, upOptions(flags, services), io.sink, io.signal);
    return;
  }
  const run = new AbortController();
  const interrupt = (): void => run.abort(io.signal?.reason);
  if (io.signal?.aborted) interrupt();
  io.signal?.addEventListener('abort', interrupt, { once: true });
  const done = new AbortController();
  const ended = watchForEnd(
    runtime,
    project,
    { services: follow, sinceMs, failuresOnly: flags.abortOnFailure },
    done.signal,
  ).then(
    (hit) => {
      if (hit) run.abort();
      return hit;
    },
    () => false,
  );
  try {
    await up(runtime, project, upOptions(flags, services), io.sink, run.signal);
  } catch (e) {
    if (io.signal?.aborted || !run.signal.aborted) throw e;
  } finally {
    done.abort();
    io.signal?.removeEventListener('abort', interrupt);
    await ended;
  }
}
