// Resource settings: rlimits clamped to what this host can grant, and cgroup limits for runc.
import { readFileSync } from 'node:fs';
import type { Service } from '../../../model/types.js';
import type { OciResources, OciRlimit } from './oci-types.js';

const RLIMIT_NAMES: Record<string, string> = {
  core: 'RLIMIT_CORE',
  cpu: 'RLIMIT_CPU',
  data: 'RLIMIT_DATA',
  fsize: 'RLIMIT_FSIZE',
  locks: 'RLIMIT_LOCKS',
  memlock: 'RLIMIT_MEMLOCK',
  msgqueue: 'RLIMIT_MSGQUEUE',
  nice: 'RLIMIT_NICE',
  nofile: 'RLIMIT_NOFILE',
  nproc: 'RLIMIT_NPROC',
  rss: 'RLIMIT_RSS',
  rtprio: 'RLIMIT_RTPRIO',
  rttime: 'RLIMIT_RTTIME',
  sigpending: 'RLIMIT_SIGPENDING',
  stack: 'RLIMIT_STACK',
  as: 'RLIMIT_AS',
};

const PROC_LIMIT_LABEL: Record<string, string> = {
  RLIMIT_CORE: 'Max core file size',
  RLIMIT_CPU: 'Max cpu time',
  RLIMIT_DATA: 'Max data size',
  RLIMIT_FSIZE: 'Max file size',
  RLIMIT_LOCKS: 'Max file locks',
  RLIMIT_MEMLOCK: 'Max locked memory',
  RLIMIT_MSGQUEUE: 'Max msgqueue size',
  RLIMIT_NICE: 'Max nice priority',
  RLIMIT_NOFILE: 'Max open files',
  RLIMIT_NPROC: 'Max processes',
  RLIMIT_RSS: 'Max resident set',
  RLIMIT_RTPRIO: 'Max realtime priority',
  RLIMIT_RTTIME: 'Max realtime timeout',
  RLIMIT_SIGPENDING: 'Max pending signals',
  RLIMIT_STACK: 'Max stack size',
  RLIMIT_AS: 'Max address space',
};

/** This process's hard limits; without CAP_SYS_RESOURCE (the case here) nothing above them can be set. */
function hostHardLimits(): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return out;
  }
  for (const [type, label] of Object.entries(PROC_LIMIT_LABEL)) {
    const line = text.split('\n').find((l) => l.startsWith(label));
    const hard = line?.slice(label.length).trim().split(/\s+/)[1];
    if (hard && hard !== 'unlimited') out.set(type, Number(hard));
  }
  return out;
}

export function rlimitsFor(ulimits: Service['ulimits']): OciRlimit[] {
  if (!ulimits) return [];
  const caps = hostHardLimits();
  const out: OciRlimit[] = [];
  for (const [name, v] of Object.entries(ulimits)) {
    const type = RLIMIT_NAMES[name];
    if (!type) continue;
    const cap = caps.get(type) ?? Number.MAX_SAFE_INTEGER;
    const hard = Math.min(v.hard, cap);
    out.push({ type, hard, soft: Math.min(v.soft, hard) });
  }
  return out;
}

const CPU_PERIOD = 100_000;

function parseCpus(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function resourcesFor(service: Service, privileged: boolean): OciResources {
  const limits = service.deploy?.resources?.limits;
  const res: OciResources = {
    devices: privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }],
  };
  const mem = service.mem_limit ?? limits?.memory;
  if (mem) {
    res.memory = { limit: mem };
    if (service.memswap_limit !== undefined) res.memory.swap = service.memswap_limit;
  }
  const cpus = parseCpus(service.cpus ?? limits?.cpus);
  if (cpus) res.cpu = { quota: Math.round(cpus * CPU_PERIOD), period: CPU_PERIOD };
  const pids = service.pids_limit ?? limits?.pids;
  if (pids && pids > 0) res.pids = { limit: pids };
  return res;
}
