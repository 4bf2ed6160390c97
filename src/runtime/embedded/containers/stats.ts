// `stats` on the embedded runtime: CPU, memory, block I/O and process counts from the cgroups the
// container's init is in (v1 hierarchies or the unified v2 one, whichever the host has), network bytes from
// its network namespace's /proc/<pid>/net/dev.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerStats } from '../../types.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

const read = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

const num = (text: string | undefined): number | undefined => {
  const n = Number((text ?? '').trim());
  return text !== undefined && Number.isFinite(n) ? n : undefined;
};

/** controller → the cgroup dir of `pid` for it; `''` keys the unified (v2) hierarchy. */
async function cgroupsOf(pid: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const line of ((await read(`/proc/${pid}/cgroup`)) ?? '').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const [, controllers = '', path = ''] = m;
    if (controllers === '') out.set('', join(CGROUP_ROOT, path));
    for (const c of controllers.split(',')) {
      if (c) out.set(c, join(CGROUP_ROOT, c.startsWith('name=') ? c.slice(5) : controllers, path));
    }
  }
  return out;
}

/** Sums `key value` lines (v1 blkio's `MAJ:MIN Read N`, v2 io.stat's `MAJ:MIN rbytes=N wbytes=N`). */
function blockBytes(v1: string | undefined, v2: string | undefined): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of (v1 ?? '').split('\n')) {
    const [, op, n] = line.trim().split(/\s+/);
    if (op === 'Read') read += Number(n) || 0;
    if (op === 'Write') write += Number(n) || 0;
  }
  for (const m of (v2 ?? '').matchAll(/\b(rbytes|wbytes)=(\d+)/g)) {
    if (m[1] === 'rbytes') read += Number(m[2]);
    else write += Number(m[2]);
  }
  return { read, write };
}

/** Bytes in and out on every interface of the namespace but loopback. */
function netBytes(text: string | undefined): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of (text ?? '').split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name?.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return { rx, tx };
}

/** Limits above this are "none" (v1 writes the largest page-aligned 64-bit number). */
const NO_LIMIT = 2 ** 60;

export async function readStats(pid: number): Promise<ContainerStats> {
  const groups = await cgroupsOf(pid);
  const v2 = groups.get('');
  const at = (controller: string, file: string): Promise<string | undefined> => {
    const dir = groups.get(controller) ?? v2;
    return dir ? read(join(dir, file)) : Promise.resolve(undefined);
  };
  const cpuV1 = num(await at('cpuacct', 'cpuacct.usage'));
  const cpuV2 = /usage_usec (\d+)/.exec((await at('cpu', 'cpu.stat')) ?? '')?.[1];
  const memStat = (await at('memory', 'memory.stat')) ?? '';
  // As docker does: the page cache that can be dropped does not count as used.
  const inactive = Number(/^(?:total_)?inactive_file (\d+)$/m.exec(memStat)?.[1] ?? 0);
  const used = num(await at('memory', 'memory.usage_in_bytes')) ?? num(await at('memory', 'memory.current'));
  const limit = num(await at('memory', 'memory.limit_in_bytes')) ?? num(await at('memory', 'memory.max'));
  const block = blockBytes(await at('blkio', 'blkio.throttle.io_service_bytes'), await at('io', 'io.stat'));
  const net = netBytes(await read(`/proc/${pid}/net/dev`));
  const stats: ContainerStats = {
    cpuUsec: cpuV1 !== undefined ? Math.round(cpuV1 / 1000) : Number(cpuV2 ?? 0),
    memoryBytes: Math.max(0, (used ?? 0) - inactive),
    netRxBytes: net.rx,
    netTxBytes: net.tx,
    blockReadBytes: block.read,
    blockWriteBytes: block.write,
    pids: num(await at('pids', 'pids.current')) ?? 0,
  };
  if (limit !== undefined && limit < NO_LIMIT) stats.memoryLimitBytes = limit;
  return stats;
}
