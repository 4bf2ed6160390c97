// Processes of a container read from /proc: the container's main pid and every descendant. Both drivers
// run containers on this host, so their pids are host pids and /proc is the honest source.
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessRow } from '../format/top.js';
import { cpuTime, startTime } from '../format/top.js';

const CLK_TCK = 100;

interface Stat {
  pid: number;
  ppid: number;
  tty: number;
  utime: number;
  stime: number;
  start: number;
}

function readStat(proc: string, pid: number): Stat | undefined {
  try {
    const text = readFileSync(`${proc}/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces and parentheses.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(rest[1]),
      tty: Number(rest[4]),
      utime: Number(rest[11]),
      stime: Number(rest[12]),
      start: Number(rest[19]),
    };
  } catch {
    return undefined;
  }
}

function uidOf(proc: string, pid: number): number | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`${proc}/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(proc: string, pid: number): string {
  try {
    const raw = readFileSync(`${proc}/${pid}/cmdline`, 'utf8');
    const args = raw.split('\0').filter((a) => a !== '');
    if (args.length > 0) return args.join(' ');
    return `[${readFileSync(`${proc}/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '';
  }
}

function userNames(): Map<number, string> {
  const map = new Map<number, string>();
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name && uid && !map.has(Number(uid))) map.set(Number(uid), name);
    }
  } catch {
    // No passwd file: numbers are shown.
  }
  return map;
}

function ttyName(nr: number): string {
  if (nr === 0) return '?';
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major === 136) return `pts/${minor}`;
  if (major === 4) return `tty${minor}`;
  return '?';
}

function bootTimeMs(proc: string): number {
  const m = /^btime\s+(\d+)/m.exec(readFileSync(`${proc}/stat`, 'utf8'));
  return m ? Number(m[1]) * 1000 : 0;
}

/** The process tree under `root`, parents before children; empty when the process is gone. */
export function processTree(root: number, now = Date.now(), proc = '/proc'): ProcessRow[] {
  const all: Stat[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(proc, Number(entry));
    if (s) all.push(s);
  }
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const rootStat = all.find((s) => s.pid === root);
  if (!rootStat) return [];
  const ordered: Stat[] = [];
  const visit = (s: Stat): void => {
    ordered.push(s);
    for (const c of (children.get(s.pid) ?? []).sort((a, b) => a.pid - b.pid)) visit(c);
  };
  visit(rootStat);
  const boot = bootTimeMs(proc);
  const names = userNames();
  return ordered.map((s) => {
    const cpuSeconds = (s.utime + s.stime) / CLK_TCK;
    const startedMs = boot + (s.start / CLK_TCK) * 1000;
    const lifetime = Math.max(1, (now - startedMs) / 1000);
    const uid = uidOf(proc, s.pid);
    return {
      uid: uid === undefined ? '?' : (names.get(uid) ?? String(uid)),
      pid: s.pid,
      ppid: s.ppid,
      c: Math.floor((cpuSeconds / lifetime) * 100),
      stime: startTime(startedMs, now),
      tty: ttyName(s.tty),
      time: cpuTime(cpuSeconds),
      cmd: cmdline(proc, s.pid),
    };
  });
}
