// `cmp run` attached on the docker runtime: the one-off reads this process's stdin and writes to its stdout,
// as the embedded runtime does with `runc run` in the foreground.
import type Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import { call } from './errors.js';
import { FrameDecoder } from './stream-frames.js';

export interface AttachIO {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export async function attachAndRun(c: Dockerode.Container, id: string, io: AttachIO): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const info = await call(`inspect ${id}`, () => c.inspect());
  const tty = info.Config.Tty === true;
  const stream = (await call(`attach ${id}`, () =>
    c.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }),
  )) as Duplex;
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  if (tty) {
    stream.on('data', (d: Buffer) => stdout.write(d));
  } else {
    const decoder = new FrameDecoder();
    stream.on('data', (d: Buffer) => {
      for (const f of decoder.push(d)) (f.stream === 'stderr' ? stderr : stdout).write(f.data);
    });
  }
  // Asked for before the start, so an exit right after it is not missed.
  const exited = call(`wait ${id}`, () => c.wait({ condition: 'next-exit' })) as Promise<{
    StatusCode?: number;
  }>;
  // When the start fails, that error is the one reported; the wait's own must not crash the process.
  exited.catch(() => undefined);
  const terminal = tty && stdin === process.stdin && process.stdin.isTTY === true;
  const resize = (): void => {
    void c.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => undefined);
  };
  // Without a terminal, Ctrl-C and a TERM reach cmp, not the container: pass them on.
  const forward = (signal: NodeJS.Signals): void => {
    void c.kill({ signal }).catch(() => undefined);
  };
  const onInt = (): void => forward('SIGINT');
  const onTerm = (): void => forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    await call(`start ${id}`, () => c.start());
    if (terminal) {
      process.stdin.setRawMode(true);
      resize();
      process.stdout.on('resize', resize);
    }
    stdin.pipe(stream);
    // StdinOnce: the container's stdin closes when ours ends.
    stdin.on('end', () => stream.end());
    const res = await exited;
    // The output can trail the exit by a moment.
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000))]);
    return res.StatusCode ?? 0;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    stdin.unpipe(stream);
    if (terminal) {
      process.stdout.off('resize', resize);
      process.stdin.setRawMode(false);
    }
    // Our stdin must not keep the command alive once the container is gone.
    if (stdin === process.stdin) process.stdin.pause();
    stream.destroy();
  }
}
