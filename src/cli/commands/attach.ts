// Attached `up`: every container's logs on stdout until the services it was asked for end; Ctrl-C stops
// those services, and (--abort-on-container-exit, --exit-code-from) the first container to exit stops them.
import { stop } from '../../engine/index.js';
import type { Project } from '../../model/types.js';
import type { ContainerState, Runtime } from '../../runtime/types.js';
import { logName } from '../../ui/log-prefix.js';
import { exitLine, formatEntry, LogMerger, prefixWidth } from '../format/logs.js';
import { selectContainers, serviceOf, type CommandIO } from './common.js';
import { afterExit } from './attach-runs.js';
import { readLogs, within } from './follow.js';

export interface AttachOptions {
  /** Services to show; empty = all. */
  services: string[];
  /**
   * Services whose containers' ends make `up` return: the ones named on the command line, as compose
   * has it (dependencies shown under --attach-dependencies may run on). Undefined = every one shown.
   */
  required?: string[];
  /** Services to stop on Ctrl-C or abort; undefined = all. */
  stopScope?: string[];
  abortOnExit: boolean;
  abortOnFailure: boolean;
  exitCodeFrom?: string;
  color: boolean;
  noPrefix: boolean;
  timestamps: boolean;
  timeoutMs?: number;
  /** When `up` began: older lines of containers that were already running, and containers that ended before, are left out. */
  sinceMs: number;
  /**
   * Each container's restart count when `up` began (absent: 0, a container this up made): the runs its
   * policy restarted before the attaching began are owed their exit lines.
   */
  restartsBefore?: ReadonlyMap<string, number>;
  flushMs?: number;
  pollMs?: number;
  /** How long an ended container's log stream may take to deliver its last lines. */
  graceMs?: number;
}

type Outcome = { kind: 'done' } | { kind: 'interrupt' } | { kind: 'abort'; code: number; service: string };

interface Exit {
  service: string;
  code: number;
  /** When the run ended, as the runtime recorded it: the order of the exits, whatever order we saw them in. */
  at: number;
}

/**
 * Exits seen within this of the first one that asks for an abort are weighed with it: two containers ending
 * close together may be seen in either order (a runtime looks every 100 ms), and the earlier decides.
 */
const ABORT_SETTLE_MS = 250;

function isCurrent(c: ContainerState, since: number): boolean {
  if (c.status === 'running' || c.status === 'restarting' || c.status === 'paused') return true;
  return (c.finishedAt ?? 0) >= since;
}

export async function attach(
  runtime: Runtime,
  project: Project,
  opts: AttachOptions,
  io: CommandIO,
): Promise<number> {
  const containers = (
    await selectContainers(runtime, project, { services: opts.services, all: true })
  ).filter((c) => isCurrent(c, opts.sinceMs));
  if (containers.length === 0) return 0;
  io.out(`Attaching to ${containers.map((c) => logName(serviceOf(c), c.name)).join(', ')}\n`);
  const width = prefixWidth(containers.map((c) => ({ service: serviceOf(c), name: c.name })));
  const merger = new LogMerger();
  const flush = (): void => {
    for (const e of merger.drain()) {
      const text = formatEntry(e, {
        color: opts.color,
        timestamps: opts.timestamps,
        noPrefix: opts.noPrefix,
        width,
      });
      // As with compose: a container's stderr goes to stderr, so `cmp up 2>/dev/null` hides it.
      if (e.stream === 'stderr') io.err(text);
      else io.out(text);
    }
  };
  const timer = setInterval(flush, opts.flushMs ?? 100);
  const stopAll = new AbortController();
  const exits: Exit[] = [];
  let settle: (o: Outcome) => void = () => undefined;
  let decided = false;
  const decision = new Promise<Outcome>((resolve) => {
    settle = (o) => {
      if (decided) return;
      decided = true;
      resolve(o);
    };
  });
  const onInterrupt = (): void => settle({ kind: 'interrupt' });
  if (io.signal?.aborted) onInterrupt();
  io.signal?.addEventListener('abort', onInterrupt, { once: true });

  const abortsOn = (e: Exit): boolean =>
    opts.abortOnExit || opts.exitCodeFrom !== undefined || (opts.abortOnFailure && e.code !== 0);
  let aborting: NodeJS.Timeout | undefined;
  const noteExit = (e: Exit): void => {
    exits.push(e);
    if (decided || !abortsOn(e) || aborting) return;
    aborting = setTimeout(() => {
      const first = earliest(exits.filter(abortsOn));
      if (first) settle({ kind: 'abort', code: first.code, service: first.service });
    }, ABORT_SETTLE_MS);
  };

  const watch = async (first: ContainerState): Promise<void> => {
    const service = serviceOf(first);
    let current = first;
    // Exits of runs we did not see end (before the attaching began, or between two looks): printed with
    // the next exit we do see, whose code is the only one the runtime still knows.
    let owed = Math.max(0, first.restartCount - (opts.restartsBefore?.get(first.id) ?? 0));
    // Only what this `up` sees happen: a container started again keeps its earlier runs' lines in its log.
    let since = opts.sinceMs;
    for (;;) {
      const follow = new AbortController();
      const stopFollow = (): void => follow.abort();
      stopAll.signal.addEventListener('abort', stopFollow, { once: true });
      const reading = readLogs(
        runtime,
        current,
        { follow: true, signal: follow.signal, sinceMs: since },
        (e) => merger.push(e),
      ).catch(() => undefined);
      let code: number;
      try {
        code = await runtime.waitContainer(current.id, stopAll.signal);
      } catch {
        follow.abort();
        await reading;
        return;
      }
      const ended = await runtime.inspectContainer(current.id);
      noteExit({ service, code, at: ended?.finishedAt ?? Date.now() });
      await within(reading, opts.graceMs ?? 1000, stopAll.signal);
      follow.abort();
      stopAll.signal.removeEventListener('abort', stopFollow);
      const last = await reading;
      if (last !== undefined) since = last + 1;
      flush();
      for (; owed > 0; owed--) io.out(exitLine(service, current.name, code));
      io.out(exitLine(service, current.name, code));
      if (decided || aborting || !ended) return;
      const after = await afterExit(
        runtime,
        project.services[service],
        ended,
        opts.pollMs ?? 50,
        stopAll.signal,
      );
      if (after.kind === 'final') {
        // Restarts that began and ended between two looks.
        const more = (after.state?.restartCount ?? current.restartCount) - current.restartCount;
        for (let i = 0; i < more; i++) io.out(exitLine(service, current.name, code));
        return;
      }
      if (decided) return;
      // Each restart is one run; the one we saw end is printed.
      owed = Math.max(0, after.run.restartCount - current.restartCount - 1);
      current = after.run;
    }
  };

  const watching = containers.map((c) => ({ c, done: watch(c) }));
  const required = watching.filter(({ c }) => opts.required?.includes(serviceOf(c)) ?? true);
  const allWatchers = Promise.all(watching.map((w) => w.done));
  // Dependencies shown beside the named services may run on once those have ended, as with compose.
  const ends = Promise.all((required.length > 0 ? required : watching).map((w) => w.done));
  const outcome = await Promise.race([ends.then((): Outcome => ({ kind: 'done' })), decision]);
  decided = true;
  clearTimeout(aborting);
  io.signal?.removeEventListener('abort', onInterrupt);
  let code = 0;
  if (outcome.kind !== 'done') {
    io.err(
      outcome.kind === 'interrupt'
        ? 'Gracefully stopping... (press Ctrl+C again to force)\n'
        : 'Aborting on container exit...\n',
    );
    // The second Ctrl-C kills what the graceful stop is still waiting for, as docker compose does.
    const unforce = io.onForce?.(() => void killNow(runtime, project, opts.stopScope, io));
    try {
      await stop(
        runtime,
        project,
        {
          ...(opts.stopScope ? { services: opts.stopScope } : {}),
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        },
        io.sink,
      );
    } finally {
      unforce?.();
    }
    // The stop's view ends here; the last lines and exit lines the containers leave follow it.
    await io.endProgress?.();
    await within(allWatchers, opts.graceMs ?? 1000);
    if (outcome.kind === 'interrupt') code = 130;
    else if (opts.exitCodeFrom !== undefined)
      code = await exitCodeOf(runtime, project, opts.exitCodeFrom, exits);
    else code = outcome.code;
  }
  stopAll.abort();
  await allWatchers;
  clearInterval(timer);
  flush();
  return code;
}

function earliest(exits: readonly Exit[]): Exit | undefined {
  return exits.reduce<Exit | undefined>((a, b) => (a === undefined || b.at < a.at ? b : a), undefined);
}

/** SIGKILL to the running containers in scope; ones the stop has already ended are left alone. */
async function killNow(
  runtime: Runtime,
  project: Project,
  scope: string[] | undefined,
  io: CommandIO,
): Promise<void> {
  const running = await selectContainers(runtime, project, { services: scope ?? [], all: false });
  const note = (c: ContainerState, status: string): void =>
    io.sink?.({
      time: Date.now(),
      kind: 'container',
      name: c.name,
      service: serviceOf(c),
      action: 'kill',
      status,
    });
  await Promise.all(
    running.map(async (c) => {
      note(c, 'Killing');
      await runtime.killContainer(c.id, 'SIGKILL').then(
        () => note(c, 'Killed'),
        // Gone between the listing and the kill: the graceful stop got there first.
        () => undefined,
      );
    }),
  );
}

async function exitCodeOf(
  runtime: Runtime,
  project: Project,
  service: string,
  exits: readonly Exit[],
): Promise<number> {
  const seen = earliest(exits.filter((e) => e.service === service));
  if (seen !== undefined) return seen.code;
  const [c] = await selectContainers(runtime, project, { services: [service], all: true });
  return c?.exitCode ?? 0;
}
