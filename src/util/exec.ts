// Every subprocess cmp starts goes through here, so errors carry the command line and its stderr.
import { execa, type Options } from 'execa';
import { RuntimeError } from './errors.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command and fails with a RuntimeError naming it when it exits non-zero. */
export async function run(file: string, args: readonly string[], opts: Options = {}): Promise<RunResult> {
  const res = await execa(file, args, { reject: false, ...opts, encoding: 'utf8' });
  const out: RunResult = {
    stdout: String(res.stdout ?? ''),
    stderr: String(res.stderr ?? ''),
    exitCode: res.exitCode ?? (res.failed ? 1 : 0),
  };
  if (res.failed && out.exitCode === 0) out.exitCode = 1;
  if (out.exitCode !== 0) {
    const why = out.stderr.trim().split('\n').pop() || res.shortMessage || 'failed';
    throw new RuntimeError(`${file} ${args.join(' ')}: ${why}`, { exitCode: 1 });
  }
  return out;
}

/** Like run() but returns the result whatever the exit code. */
export async function tryRun(file: string, args: readonly string[], opts: Options = {}): Promise<RunResult> {
  const res = await execa(file, args, { reject: false, ...opts, encoding: 'utf8' });
  return { stdout: String(res.stdout ?? ''), stderr: String(res.stderr ?? ''), exitCode: res.exitCode ?? 1 };
}
