// `cmp stats [SERVICE...]`: CPU, memory, network and block I/O of the project's containers, as
// `docker compose stats` prints them: a table redrawn every second until Ctrl-C, or one look with
// --no-stream; `--format json` gives one object per container and look.
import { totalmem } from 'node:os';
import type { Project } from '../../model/types.js';
import type { ContainerState, ContainerStats, Runtime } from '../../runtime/types.js';
import { RuntimeError } from '../../util/errors.js';
import { jsonLines, renderTable } from '../format/table.js';
import type { GlobalOptions } from '../globals.js';
import { selectContainers, stdio, type CommandIO } from './common.js';
import { pause } from './follow.js';
import { humanSize } from './image.js';
import { tableOrJson } from './flags/values.js';
import { open } from './open.js';

export interface StatsFlags {
  all: boolean;
  noStream: boolean;
  format: 'table' | 'json';
}

/** The time between two looks that a CPU percentage is measured over. */
const SAMPLE_MS = 1000;

export interface StatsRow {
  id: string;
  name: string;
  cpuPercent: number;
  stats?: ContainerStats;
}

/** docker's sizes: binary units for memory (decimal ones, humanSize, for I/O). */
export function binarySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(2)}${units[i]}`;
}

function fields(r: StatsRow): Record<string, string> {
  const s = r.stats;
  const limit = s?.memoryLimitBytes ?? totalmem();
  const dash = '--';
  return {
    BlockIO: s ? `${humanSize(s.blockReadBytes)} / ${humanSize(s.blockWriteBytes)}` : dash,
    CPUPerc: s ? `${r.cpuPercent.toFixed(2)}%` : dash,
    Container: r.id.slice(0, 12),
    ID: r.id.slice(0, 12),
    MemPerc: s ? `${((s.memoryBytes / limit) * 100).toFixed(2)}%` : dash,
    MemUsage: s ? `${binarySize(s.memoryBytes)} / ${binarySize(limit)}` : dash,
    Name: r.name,
    NetIO: s ? `${humanSize(s.netRxBytes)} / ${humanSize(s.netTxBytes)}` : dash,
    PIDs: s ? String(s.pids) : dash,
  };
}

export function formatStats(rows: readonly StatsRow[], format: 'table' | 'json'): string {
  const all = rows.map(fields);
  if (format === 'json') return jsonLines(all);
  return renderTable(
    ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
    all.map((f) => [
      f.ID ?? '',
      f.Name ?? '',
      f.CPUPerc ?? '',
      f.MemUsage ?? '',
      f.MemPerc ?? '',
      f.NetIO ?? '',
      f.BlockIO ?? '',
      f.PIDs ?? '',
    ]),
  );
}

/** Two looks `SAMPLE_MS` apart per container: the second's counters, the CPU share between them. */
async function look(
  runtime: Runtime,
  containers: readonly ContainerState[],
  signal?: AbortSignal,
): Promise<StatsRow[]> {
  const read = (c: ContainerState): Promise<ContainerStats | undefined> =>
    runtime.containerStats?.(c.id).catch(() => undefined) ?? Promise.resolve(undefined);
  const t0 = Date.now();
  const first = await Promise.all(containers.map(read));
  await pause(SAMPLE_MS, signal);
  const elapsedUsec = (Date.now() - t0) * 1000;
  const second = await Promise.all(containers.map(read));
  return containers.map((c, i) => {
    const a = first[i];
    const b = second[i];
    const row: StatsRow = { id: c.id, name: c.name, cpuPercent: 0 };
    if (b) row.stats = b;
    if (a && b && elapsedUsec > 0) row.cpuPercent = ((b.cpuUsec - a.cpuUsec) / elapsedUsec) * 100;
    return row;
  });
}

export async function statsCommand(
  runtime: Runtime,
  project: Project,
  flags: StatsFlags,
  services: string[],
  io: CommandIO & { clear?: () => void },
): Promise<number> {
  if (!runtime.containerStats)
    throw new RuntimeError(`the ${runtime.kind} runtime gives no stats in cmp yet`, {
      hint: 'use docker stats with the container names from cmp ps',
    });
  for (;;) {
    const containers = await selectContainers(runtime, project, { services, all: flags.all });
    const rows = await look(runtime, containers, io.signal);
    if (io.signal?.aborted) return 0;
    io.clear?.();
    io.out(formatStats(rows, flags.format));
    if (flags.noStream) return 0;
  }
}

export function readStatsFlags(o: Record<string, unknown>): StatsFlags {
  return { all: o.all === true, noStream: o.stream === false, format: tableOrJson(o.format) };
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readStatsFlags(o);
  const { project, runtime } = await open(g, args, { fromLabels: true });
  const stop = new AbortController();
  const onInt = (): void => stop.abort();
  process.once('SIGINT', onInt);
  try {
    const clear = process.stdout.isTTY && flags.format === 'table' && !flags.noStream;
    return await statsCommand(runtime, project, flags, args, {
      ...stdio(),
      signal: stop.signal,
      ...(clear ? { clear: () => void process.stdout.write('\x1b[2J\x1b[H') } : {}),
    });
  } finally {
    process.off('SIGINT', onInt);
  }
}
