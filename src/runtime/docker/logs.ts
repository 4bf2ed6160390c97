// Container logs as LogLines: asks the engine for timestamps so each line carries its own time, demultiplexes
// unless the container has a TTY, and ends when the engine closes the stream or the caller aborts.
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import type { LogLine, LogOptions } from '../types.js';
import { call } from './errors.js';
import { FrameDecoder, LineSplitter, type StreamName } from './stream-frames.js';

/** `2024-01-02T03:04:05.123456789Z message` → time in ms and the message. */
export function splitTimestamp(line: string): { time: number; line: string } {
  const sp = line.indexOf(' ');
  const stamp = sp > 0 ? Date.parse(line.slice(0, sp)) : NaN;
  if (!Number.isFinite(stamp)) return { time: Date.now(), line };
  return { time: stamp, line: line.slice(sp + 1) };
}

function engineSeconds(ms: number): string {
  return (ms / 1000).toFixed(9);
}

function toBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
}

export async function* containerLogs(
  container: Dockerode.Container,
  opts: LogOptions,
): AsyncIterable<LogLine> {
  const info = await call(`inspect container ${container.id}`, () => container.inspect());
  const tty = info.Config.Tty;
  const query: Dockerode.ContainerLogsOptions = { stdout: true, stderr: true, timestamps: true };
  if (opts.tail !== undefined) query.tail = opts.tail;
  if (opts.sinceMs !== undefined) query.since = engineSeconds(opts.sinceMs);
  if (opts.untilMs !== undefined) query.until = engineSeconds(opts.untilMs);

  const decoder = new FrameDecoder();
  const lines = new LineSplitter();
  const emit = function* (stream: StreamName, data: Buffer): Generator<LogLine> {
    for (const l of lines.push(stream, data)) yield { stream, ...splitTimestamp(l) };
  };
  const chunkLines = function* (chunk: Buffer): Generator<LogLine> {
    if (tty) yield* emit('stdout', chunk);
    else for (const f of decoder.push(chunk)) yield* emit(f.stream, f.data);
  };
  const flush = function* (): Generator<LogLine> {
    for (const s of ['stdout', 'stderr'] as const)
      for (const l of lines.flush(s)) yield { stream: s, ...splitTimestamp(l) };
  };

  if (!opts.follow) {
    // Without follow the engine answers in one body, which dockerode hands back as a Buffer.
    const body = await call(`logs of ${container.id}`, () => container.logs({ ...query, follow: false }));
    yield* chunkLines(toBuffer(body));
    yield* flush();
    return;
  }

  const stream = (await call(`logs of ${container.id}`, () =>
    container.logs({ ...query, follow: true }),
  )) as Readable;
  const onAbort = (): void => {
    stream.destroy();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) yield* chunkLines(toBuffer(chunk));
  } catch (e) {
    if (!opts.signal?.aborted) throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    stream.destroy();
  }
  yield* flush();
}
