// Short subprocesses go through here (streamed ones through spawn-stream.ts), so errors carry the command
// line and its stderr.
import { spawn } from 'node:child_process';
import { RuntimeError } from './errors.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
  /** Kills the command (SIGTERM) after this many milliseconds. */
  timeout?: number;
  /** Kills the command (SIGTERM) when aborted. */
  cancelSignal?: AbortSignal;
}

/**
 * Spawns with node's child_process rather than execa: these short commands (ip, runc, mount) sit on the
 * container start path, and execa's per-call machinery cost about 1 ms of CPU each, measured.
 */
function spawnCollect(
  file: string,
  args: readonly string[],
  opts: RunOptions,
): Promise<RunResult & { why?: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
      ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
      ...(opts.cancelSignal ? { signal: opts.cancelSignal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: Error | undefined;
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => (spawnError = e));
    if (opts.input !== undefined) {
      // A command that exits without reading its input must not turn into an unhandled EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
    child.on('close', (code, signal) => {
      const res: RunResult & { why?: string } = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? (signal ? 128 : 1),
      };
      if (spawnError) {
        res.exitCode = res.exitCode || 127;
        res.why = (spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : spawnError.message;
      } else if (signal) {
        res.why = `killed by ${signal}`;
      }
      resolve(res);
    });
  });
}

/** Runs a command and fails with a RuntimeError naming it when it exits non-zero. */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const { why: spawnWhy, ...res } = await spawnCollect(file, args, opts);
  if (res.exitCode !== 0) {
    const why = res.stderr.trim().split('\n').pop() || spawnWhy || 'failed';
    throw new RuntimeError(`${file} ${args.join(' ')}: ${why}`, { exitCode: 1 });
  }
  return res;
}

/** Like run() but returns the result whatever the exit code. */
export async function tryRun(
  file: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const { why: _why, ...res } = await spawnCollect(file, args, opts);
  return res;
}
