// Attached `up`: every container's logs on stdout until the containers end, Ctrl-C stops the stack, or
// (--abort-on-container-exit, --exit-code-from) the first container to exit stops everything.
import { stop } from '../../engine/index.js';
import type { Project, Service } from '../../model/types.js';
import type { ContainerState, Runtime } from '../../runtime/types.js';
import { resolveRestartPolicy } from '../../supervise/restart-policy.js';
import { logName } from '../../ui/log-prefix.js';
import { exitLine, formatEntry, LogMerger, prefixWidth } from '../format/logs.js';
import { selectContainers, serviceOf, type CommandIO } from './common.js';
import { pause, readLogs, within } from './follow.js';

export interface AttachOptions {
  /** Services to show; empty = all. */
  services: string[];
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
  flushMs?: number;
  pollMs?: number;
  /** How long an ended container's log stream may take to deliver its last lines. */
  graceMs?: number;
}

type Outcome = { kind: 'done' } | { kind: 'interrupt' } | { kind: 'abort'; code: number; service: string };

/** Whether the container's restart policy brings it back after this exit. */
export function mayRestart(service: Service | undefined, code: number, restartCount: number): boolean {
  if (!service) return false;
  const p = resolveRestartPolicy(service);
  switch (p.mode) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return code !== 0 && (p.maxAttempts === 0 || restartCount < p.maxAttempts);
    case 'no':
      return false;
  }
}

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
  const firstExit = new Map<string, number>();
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

  const watch = async (first: ContainerState): Promise<void> => {
    const service = serviceOf(first);
    let current = first;
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
      await within(reading, opts.graceMs ?? 1000, stopAll.signal);
      follow.abort();
      stopAll.signal.removeEventListener('abort', stopFollow);
      const last = await reading;
      if (last !== undefined) since = last + 1;
      flush();
      io.out(exitLine(service, current.name, code));
      if (!firstExit.has(service)) firstExit.set(service, code);
      if (decided) return;
      if (opts.abortOnExit || opts.exitCodeFrom !== undefined || (opts.abortOnFailure && code !== 0)) {
        settle({ kind: 'abort', code, service });
        return;
      }
      const state = await runtime.inspectContainer(current.id);
      if (!state || !mayRestart(project.services[service], code, state.restartCount)) return;
      const next = await restarted(runtime, state, opts.pollMs ?? 200, stopAll.signal);
      if (!next || decided) return;
      current = next;
    }
  };

  const watchers = Promise.all(containers.map(watch));
  const outcome = await Promise.race([watchers.then((): Outcome => ({ kind: 'done' })), decision]);
  decided = true;
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
    await within(watchers, opts.graceMs ?? 1000);
    if (outcome.kind === 'interrupt') code = 130;
    else if (opts.exitCodeFrom !== undefined)
      code = await exitCodeOf(runtime, project, opts.exitCodeFrom, firstExit);
    else code = outcome.code;
  }
  stopAll.abort();
  await watchers;
  clearInterval(timer);
  flush();
  return code;
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
  firstExit: ReadonlyMap<string, number>,
): Promise<number> {
  const seen = firstExit.get(service);
  if (seen !== undefined) return seen;
  const [c] = await selectContainers(runtime, project, { services: [service], all: true });
  return c?.exitCode ?? 0;
}

/** Polls until the supervisor (or the engine) has started the container again; undefined if it never does. */
async function restarted(
  runtime: Runtime,
  before: ContainerState,
  pollMs: number,
  signal: AbortSignal,
): Promise<ContainerState | undefined> {
  while (!signal.aborted) {
    const now = await runtime.inspectContainer(before.id);
    if (!now) return undefined;
    const again = now.restartCount > before.restartCount || (now.startedAt ?? 0) > (before.startedAt ?? 0);
    if (again && now.status === 'running') return now;
    // A policy back-off can take up to a minute: keep waiting until started again or stopped by us.
    await pause(pollMs, signal);
  }
  return undefined;
}
