// Subprocesses whose stdin and stdout are streamed (decompressors, `tar`), through execa. Kept apart from
// exec.ts so the processes that never stream (the supervisor, most commands) do not load execa.
import { execa } from 'execa';
import { RuntimeError } from './errors.js';
import type { RunResult } from './exec.js';

export interface StreamingProcess {
  stdin: NodeJS.WritableStream;
  stdout: NodeJS.ReadableStream;
  /** Settles when the process ends: rejects with a RuntimeError naming it on a non-zero exit. */
  done: Promise<RunResult>;
  kill(): void;
}

/**
 * Starts a command whose stdin and stdout the caller streams (a decompressor, `tar -x`); only stderr is
 * buffered, for the error message.
 */
export function spawnStreaming(
  file: string,
  args: readonly string[],
  opts: { cwd?: string; cancelSignal?: AbortSignal } = {},
): StreamingProcess {
  const sub = execa(file, args, {
    reject: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    encoding: 'utf8',
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    ...(opts.cancelSignal === undefined ? {} : { cancelSignal: opts.cancelSignal }),
  });
  const done = sub.then((res) => {
    const out: RunResult = {
      stdout: '',
      stderr: String(res.stderr ?? ''),
      exitCode: res.exitCode ?? (res.failed ? 1 : 0),
    };
    if (res.failed && out.exitCode === 0) out.exitCode = 1;
    if (out.exitCode !== 0) {
      const why = out.stderr.trim().split('\n').pop() || res.shortMessage || 'failed';
      throw new RuntimeError(`${file} ${args.join(' ')}: ${why}`, { exitCode: 1 });
    }
    return out;
  });
  return { stdin: sub.stdin, stdout: sub.stdout, done, kill: () => sub.kill() };
}
