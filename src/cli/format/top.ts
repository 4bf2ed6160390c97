// `cmp top`: one process table per container, the columns of `ps -ef` that docker top shows.
import { renderTable } from './table.js';

export interface ProcessRow {
  uid: string;
  pid: number;
  ppid: number;
  /** CPU use over the process lifetime, in percent, as ps's C column. */
  c: number;
  /** Start time, `HH:MM` today or `MonDD` before. */
  stime: string;
  tty: string;
  /** Cumulative CPU time `HH:MM:SS`. */
  time: string;
  cmd: string;
}

export function formatTop(container: string, rows: readonly ProcessRow[]): string {
  return `${container}\n${renderTable(
    ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
    rows.map((r) => [r.uid, String(r.pid), String(r.ppid), String(r.c), r.stime, r.tty, r.time, r.cmd]),
  )}`;
}

export function cpuTime(seconds: number): string {
  const s = Math.floor(seconds);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function startTime(startMs: number, nowMs: number): string {
  const d = new Date(startMs);
  const now = new Date(nowMs);
  if (d.toDateString() === now.toDateString()) {
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }
  return `${MONTHS[d.getMonth()] ?? ''}${String(d.getDate()).padStart(2, '0')}`;
}
