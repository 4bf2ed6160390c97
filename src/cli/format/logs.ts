// Log lines from several containers, merged by time and prefixed `web-1  | `.
import { formatLogLine, logName } from '../../ui/log-prefix.js';

export interface LogEntry {
  service: string;
  container: string;
  time: number;
  line: string;
  /** Which of the container's streams it came from; attached `up` and `run` keep them apart. */
  stream?: 'stdout' | 'stderr';
}

export interface LogPrintOptions {
  color: boolean;
  timestamps: boolean;
  noPrefix: boolean;
  /** Name column width, so the bars line up. */
  width: number;
}

/** Stable: lines with the same time keep their container's order. */
export function mergeByTime(entries: readonly LogEntry[]): LogEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.time - b.e.time || a.i - b.i)
    .map((x) => x.e);
}

/** compose's: one more than the longest name, so even that one reads `foo-1  | msg`. */
export function prefixWidth(containers: readonly { service: string; name: string }[]): number {
  return Math.max(0, ...containers.map((c) => logName(c.service, c.name).length)) + 1;
}

export function formatEntry(e: LogEntry, opts: LogPrintOptions): string {
  return `${formatLogLine(e.service, e.container, e.line, {
    color: opts.color,
    timestamps: opts.timestamps,
    time: e.time,
    noPrefix: opts.noPrefix,
    width: opts.width,
  })}\n`;
}

/**
 * Following several streams: lines are held for a short window and released in time order, so a burst
 * from two containers (the backlog, above all) reads in the order it was written rather than the order
 * the streams were read.
 */
export class LogMerger {
  private held: LogEntry[] = [];

  push(e: LogEntry): void {
    this.held.push(e);
  }

  /** Everything held, in time order. */
  drain(): LogEntry[] {
    const out = mergeByTime(this.held);
    this.held = [];
    return out;
  }

  get size(): number {
    return this.held.length;
  }
}

/** compose's line when an attached container ends. */
export function exitLine(service: string, container: string, code: number): string {
  return `${logName(service, container)} exited with code ${code}\n`;
}
