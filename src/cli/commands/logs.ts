// `cmp logs`: every selected container's lines, merged by time; with -f, kept open until Ctrl-C or
// until everything followed has ended, taking in containers created meanwhile.
import type { Project } from '../../model/types.js';
import type { ContainerState, Runtime } from '../../runtime/types.js';
import { formatEntry, LogMerger, mergeByTime, prefixWidth, type LogEntry } from '../format/logs.js';
import type { GlobalOptions } from '../globals.js';
import { selectContainers, serviceOf, stdio, type CommandIO } from './common.js';
import { countFlag, tailFlag, timeFlag } from './flags/values.js';
import { readLogs } from './follow.js';
import { followProject } from './follow-project.js';
import { open } from './open.js';
import { stdoutClosed } from '../stdout-closed.js';

export interface LogsFlags {
  follow: boolean;
  tail?: number;
  timestamps: boolean;
  sinceMs?: number;
  untilMs?: number;
  color: boolean;
  logPrefix: boolean;
  index?: number;
}

export function readLogsFlags(o: Record<string, unknown>, now: number): LogsFlags {
  const f: LogsFlags = {
    follow: o.follow === true,
    timestamps: o.timestamps === true,
    color: o.color !== false,
    logPrefix: o.logPrefix !== false,
  };
  const tail = tailFlag(o.tail);
  if (tail !== undefined) f.tail = tail;
  const since = timeFlag(o.since, '--since', now);
  if (since !== undefined) f.sinceMs = since;
  const until = timeFlag(o.until, '--until', now);
  if (until !== undefined) f.untilMs = until;
  const index = countFlag(o.index, '--index');
  if (index !== undefined) f.index = index;
  return f;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readLogsFlags(o, Date.now());
  const { project, runtime } = await open(g, args, { fromLabels: true });
  const ctrl = new AbortController();
  const onSigint = (): void => ctrl.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  // `cmp logs -f | head -1`: following ends when the reader does.
  stdoutClosed.addEventListener('abort', onSigint, { once: true });
  try {
    return await logsCommand(runtime, project, flags, args, stdio({ signal: ctrl.signal }));
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    stdoutClosed.removeEventListener('abort', onSigint);
  }
}

export async function logsCommand(
  runtime: Runtime,
  project: Project,
  flags: LogsFlags,
  services: string[],
  io: CommandIO,
  flushMs = 100,
  pollMs = 300,
): Promise<number> {
  const startedAt = Date.now();
  const select = (): Promise<ContainerState[]> =>
    selectContainers(runtime, project, {
      services,
      all: true,
      ...(flags.index !== undefined ? { index: flags.index } : {}),
    });
  const containers = await select();
  // Containers still to come are padded like those there now: the width of the services' first replicas.
  const future = flags.follow
    ? Object.keys(project.services)
        .filter((s) => services.length === 0 || services.includes(s))
        .map((s) => ({ service: s, name: `${project.name}-${s}-${flags.index ?? 1}` }))
    : [];
  const print = {
    color: flags.color && io.color === true,
    timestamps: flags.timestamps,
    noPrefix: !flags.logPrefix,
    width: prefixWidth([...containers.map((c) => ({ service: serviceOf(c), name: c.name })), ...future]),
  };
  const signal = io.signal ?? new AbortController().signal;
  const opts = {
    follow: flags.follow,
    signal,
    ...(flags.tail !== undefined ? { tail: flags.tail } : {}),
    ...(flags.sinceMs !== undefined ? { sinceMs: flags.sinceMs } : {}),
    ...(flags.untilMs !== undefined ? { untilMs: flags.untilMs } : {}),
  };
  if (!flags.follow) {
    const all: LogEntry[] = [];
    for (const c of containers) await readLogs(runtime, c, opts, (e) => all.push(e));
    for (const e of mergeByTime(all)) io.out(formatEntry(e, print));
    return 0;
  }
  const merger = new LogMerger();
  const flush = (): void => {
    for (const e of merger.drain()) io.out(formatEntry(e, print));
  };
  const timer = setInterval(flush, flushMs);
  try {
    await followProject(runtime, containers, opts, { list: select, pollMs, startedAt }, (e) =>
      merger.push(e),
    );
  } finally {
    clearInterval(timer);
    flush();
  }
  return 0;
}
