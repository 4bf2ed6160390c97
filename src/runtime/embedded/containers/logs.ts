// Reads conmon's k8s-file logs (`<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, P = partial line).
// cmp keeps conmon's format on disk and converts when reading, so nothing has to run while a container
// writes. A log is the live file plus the generations the supervisor's rotation kept (log-rotate.ts):
// they are read oldest first, each through a file handle opened up front, so a rotation while reading
// neither loses nor repeats lines. `follow` polls the live file and moves to the new one when the old
// one has been replaced (rotation or conmon's own cap), after reading the old one to its end.
import { open, type FileHandle } from 'node:fs/promises';
import type { LogLine, LogOptions } from '../../types.js';
import { generationPath, generationsOf, liveLinkPath } from './log-rotate.js';

function parseTime(s: string): number {
  // Date.parse only takes milliseconds; cut the nanoseconds.
  return Date.parse(s.replace(/(\.\d{3})\d*/, '$1'));
}

/** Turns complete file lines into log lines, joining partial (P) pieces per stream. */
export class K8sFileParser {
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private partialTime: Record<'stdout' | 'stderr', number> = { stdout: 0, stderr: 0 };

  push(raw: string): LogLine | undefined {
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    if (a < 0 || b < 0) return undefined;
    const stream = raw.slice(a + 1, b) === 'stderr' ? 'stderr' : 'stdout';
    const tag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
    const text = c < 0 ? '' : raw.slice(c + 1);
    if (tag === 'P') {
      if (this.partial[stream] === '') this.partialTime[stream] = parseTime(raw.slice(0, a));
      this.partial[stream] += text;
      return undefined;
    }
    const line = this.partial[stream] + text;
    this.partial[stream] = '';
    return { time: parseTime(raw.slice(0, a)), stream, line };
  }

  /**
   * What is left of lines whose end never came: a last line without a newline (`printf abc`) stays a
   * partial record once the container has ended, and is still output.
   */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] === '') continue;
      out.push({ time: this.partialTime[stream], stream, line: this.partial[stream] });
      this.partial[stream] = '';
    }
    return out;
  }
}

function keep(l: LogLine, o: LogOptions): boolean {
  if (o.sinceMs !== undefined && l.time < o.sinceMs) return false;
  if (o.untilMs !== undefined && l.time > o.untilMs) return false;
  return true;
}

const POLL_MS = 100;
const CHUNK = 1024 * 1024;

/** One open log file and how far it has been read. */
interface Cursor {
  fh: FileHandle;
  ino: bigint;
  mtimeNs: bigint;
  /** Place in the newest-first list of names tried; breaks mtime ties (coarse kernel clock). */
  rank: number;
  offset: number;
  /** A line whose end has not been written yet. */
  rest: string;
}

async function openCursor(path: string, rank: number): Promise<Cursor | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined; // rotated away or not written yet
  }
  const st = await fh.stat({ bigint: true });
  return { fh, ino: st.ino, mtimeNs: st.mtimeNs, rank, offset: 0, rest: '' };
}

/**
 * Opens every file of the log, oldest first. Names are tried newest first: a rotation in between only
 * moves files to higher numbers, so each is met again further on, and the same inode met twice is kept
 * once. The order comes from the files' times, since that, not the names, is what a rotation keeps.
 */
async function openAll(path: string): Promise<Cursor[]> {
  const gens = await generationsOf(path);
  const last = gens.length ? Math.max(...gens) : 0;
  // One past the highest: a rotation between readdir and here moves it there.
  const names = [path, liveLinkPath(path)];
  for (let n = 1; n <= last + 1; n++) names.push(generationPath(path, n));
  const out: Cursor[] = [];
  for (const [rank, name] of names.entries()) {
    const c = await openCursor(name, rank);
    if (!c) continue;
    if (out.some((o) => o.ino === c.ino)) await c.fh.close();
    else out.push(c);
  }
  return out.sort((a, b) => (a.mtimeNs === b.mtimeNs ? b.rank - a.rank : a.mtimeNs < b.mtimeNs ? -1 : 1));
}

/** Everything written to the file since the last call, as log lines. */
async function drain(c: Cursor, parser: K8sFileParser, o: LogOptions): Promise<LogLine[]> {
  const out: LogLine[] = [];
  const size = Number((await c.fh.stat({ bigint: true })).size);
  if (size < c.offset) {
    // Cut short in place (conmon never does; someone's `truncate`): start over.
    c.offset = 0;
    c.rest = '';
  }
  while (c.offset < size) {
    const buf = Buffer.alloc(Math.min(CHUNK, size - c.offset));
    const { bytesRead } = await c.fh.read(buf, 0, buf.length, c.offset);
    if (bytesRead === 0) break;
    c.offset += bytesRead;
    const lines = (c.rest + buf.subarray(0, bytesRead).toString('utf8')).split('\n');
    c.rest = lines.pop() ?? '';
    for (const raw of lines) {
      const l = parser.push(raw);
      if (l && keep(l, o)) out.push(l);
    }
  }
  return out;
}

export async function* readLogs(
  path: string,
  o: LogOptions,
  isRunning: () => Promise<boolean>,
): AsyncGenerator<LogLine> {
  // One parser for all files: a partial line may be continued in the next generation.
  const parser = new K8sFileParser();
  const files = await openAll(path);
  let cur: Cursor | undefined;
  try {
    let first: LogLine[] = [];
    for (const c of files) first.push(...(await drain(c, parser, o)));
    // Without follow this is all there is to show, an unfinished last line included.
    if (!o.follow) first.push(...parser.flush().filter((l) => keep(l, o)));
    // The newest file is the one conmon writes (or wrote last): follow goes on from there.
    cur = files.pop();
    for (const c of files) await c.fh.close();
    files.length = 0;
    if (o.tail !== undefined && o.tail >= 0) first = o.tail === 0 ? [] : first.slice(-o.tail);
    for (const l of first) yield l;
    if (!o.follow) return;

    const readNew = async (): Promise<LogLine[]> => {
      // Look at the name before reading: conmon closes the old file before it makes the new one, so
      // once the name points elsewhere, what is read from the old handle below is all there will be.
      const now = await openCursor(path, 0);
      const out = cur ? await drain(cur, parser, o) : [];
      if (!now) return out;
      if (cur && now.ino === cur.ino) {
        await now.fh.close();
        return out;
      }
      await cur?.fh.close();
      cur = now;
      out.push(...(await drain(cur, parser, o)));
      return out;
    };

    while (!o.signal?.aborted) {
      const running = await isRunning();
      const more = await readNew();
      for (const l of more) yield l;
      if (!running && more.length === 0) {
        for (const l of parser.flush()) if (keep(l, o)) yield l;
        return;
      }
      await new Promise<void>((resolve) => {
        // The listener goes with its timer: one per poll would pile up on a long follow.
        const done = (): void => {
          clearTimeout(t);
          o.signal?.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, POLL_MS);
        o.signal?.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    for (const c of files) await c.fh.close().catch(() => undefined);
    await cur?.fh.close().catch(() => undefined);
  }
}
