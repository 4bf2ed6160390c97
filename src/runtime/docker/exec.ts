// `exec` over the Engine API: create, start attached (hijacked, so stdin can flow), copy output out, then read
// the exit code from the exec's inspect once the stream ends.
import type Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import type { ExecRequest } from '../types.js';
import { call } from './errors.js';
import { FrameDecoder } from './stream-frames.js';

export interface ExecIO {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

function waitEnd(stream: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
}

export async function runExec(container: Dockerode.Container, req: ExecRequest, io: ExecIO): Promise<number> {
  const what = `exec in ${container.id}`;
  const opts: Dockerode.ExecCreateOptions = {
    Cmd: req.command,
    Tty: req.tty,
    AttachStdin: req.interactive && !req.detach,
    AttachStdout: !req.detach,
    AttachStderr: !req.detach,
  };
  if (req.user) opts.User = req.user;
  if (req.workingDir) opts.WorkingDir = req.workingDir;
  if (req.privileged) opts.Privileged = true;
  if (req.env) opts.Env = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
  const exec = await call(what, () => container.exec(opts));
  if (req.detach) {
    await call(what, () => exec.start({ Detach: true, Tty: req.tty }));
    return 0;
  }
  const stream = await call(what, () => exec.start({ hijack: true, stdin: req.interactive, Tty: req.tty }));
  const out = io.stdout;
  const err = io.stderr ?? io.stdout;
  if (req.tty) {
    stream.on('data', (d: Buffer) => out?.write(d));
  } else {
    const decoder = new FrameDecoder();
    stream.on('data', (d: Buffer) => {
      for (const f of decoder.push(d)) (f.stream === 'stderr' ? err : out)?.write(f.data);
    });
  }
  if (req.interactive && io.stdin) {
    io.stdin.pipe(stream);
    // The exec sees EOF on its stdin only when the write side closes.
    io.stdin.on('end', () => stream.end());
  } else if (req.interactive) {
    stream.end();
  }
  await waitEnd(stream);
  if (io.stdin) io.stdin.unpipe(stream);
  // The stream can end a moment before the engine records the exit code.
  for (let i = 0; i < 100; i++) {
    const info = await call(what, () => exec.inspect());
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  const info = await call(what, () => exec.inspect());
  return info.ExitCode ?? 1;
}
