// Reads conmon's k8s-file logs (`<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, P = partial line).
// cmp keeps conmon's format on disk and converts when reading, so nothing has to run while a container
// writes; `follow` polls the file and starts over when conmon replaces it at the size cap.
import { open, stat } from 'node:fs/promises';
import type { LogLine, LogOptions } from '../../types.js';

function parseTime(s: string): number {
  // Date.parse only takes milliseconds; cut the nanoseconds.
  return Date.parse(s.replace(/(\.\d{3})\d*/, '$1'));
}

/** Turns complete file lines into log lines, joining partial (P) pieces per stream. */
export class K8sFileParser {
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  push(raw: string): LogLine | undefined {
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    if (a < 0 || b < 0) return undefined;
    const stream = raw.slice(a + 1, b) === 'stderr' ? 'stderr' : 'stdout';
    const tag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
    const text = c < 0 ? '' : raw.slice(c + 1);
    if (tag === 'P') {
      this.partial[stream] += text;
      return undefined;
    }
    const line = this.partial[stream] + text;
    this.partial[stream] = '';
    return { time: parseTime(raw.slice(0, a)), stream, line };
  }
}

function keep(l: LogLine, o: LogOptions): boolean {
  if (o.sinceMs !== undefined && l.time < o.sinceMs) return false;
  if (o.untilMs !== undefined && l.time > o.untilMs) return false;
  return true;
}

const POLL_MS = 100;

export async function* readLogs(
  path: string,
  o: LogOptions,
  isRunning: () => Promise<boolean>,
): AsyncGenerator<LogLine> {
  let offset = 0;
  let ino = -1;
  let rest = '';
  const parser = new K8sFileParser();

  const readNew = async (): Promise<LogLine[]> => {
    const st = await stat(path).catch(() => undefined);
    if (!st) return [];
    if (st.ino !== ino || st.size < offset) {
      ino = st.ino;
      offset = 0;
      rest = '';
    }
    if (st.size === offset) return [];
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(st.size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      const text = rest + buf.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      const out: LogLine[] = [];
      for (const raw of lines) {
        const l = parser.push(raw);
        if (l && keep(l, o)) out.push(l);
      }
      return out;
    } finally {
      await fh.close();
    }
  };

  let first = await readNew();
  if (o.tail !== undefined && o.tail >= 0) first = o.tail === 0 ? [] : first.slice(-o.tail);
  for (const l of first) yield l;
  if (!o.follow) return;

  while (!o.signal?.aborted) {
    const running = await isRunning();
    const more = await readNew();
    for (const l of more) yield l;
    if (!running && more.length === 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, POLL_MS);
      o.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  }
}
