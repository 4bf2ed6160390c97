// A reader that goes away (`cmp logs | head -1`) closes our stdout. Node reports that as an 'error'
// event (EPIPE) that, unhandled, ends the process with a stack trace and leaves whatever the command was
// doing half done. Here it becomes a signal: sessions treat it like Ctrl-C (they stop and clean up),
// writes after it are dropped, and the command exits 141 (128 + SIGPIPE), as docker compose and other
// Unix tools killed by SIGPIPE do.
import type { Writable } from 'node:stream';

export const PIPE_CLOSED_EXIT = 141;

const closed = new AbortController();

/** Fires once stdout's reader has gone away. */
export const stdoutClosed: AbortSignal = closed.signal;

function isClosedPipe(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Watches stdout (and stderr, which may be the same pipe). Other write errors are rethrown as before. Only
 * stdout ends the command: a closed stderr loses messages nobody can read anyway.
 */
export function watchStdio(stdout: Writable = process.stdout, stderr: Writable = process.stderr): void {
  stdout.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
    closed.abort(e);
  });
  stderr.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
  });
}

/** Writes to stdout unless its reader has gone. */
export function writeStdout(text: string): void {
  if (!stdoutClosed.aborted && !process.stdout.destroyed) process.stdout.write(text);
}

/**
 * Waits until what was written to stdout has gone out or failed. A write to a closed pipe fails after the
 * call returns, so a command that printed everything at once learns only here that its reader had gone.
 */
export function stdoutSettled(): Promise<void> {
  if (stdoutClosed.aborted || process.stdout.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    process.stdout.write('', (e) => {
      if (e && isClosedPipe(e)) closed.abort(e);
      resolve();
    });
  });
}
