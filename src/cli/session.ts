// Progress output and Ctrl-C handling shared by the commands that change state.
import type { EngineEvent, EventSink } from '../engine/events.js';
import type { Progress } from '../ui/progress-types.js';
import type { GlobalOptions } from './globals.js';
import { stdoutClosed, writeStdout } from './stdout-closed.js';

export interface Session {
  sink: EventSink;
  /** Every event seen, for --timeline. */
  events: EngineEvent[];
  signal: AbortSignal;
  /** Command output for stdout and stderr; held while a live view is on the terminal, which would draw over it. */
  out(text: string): void;
  err(text: string): void;
  /**
   * Ends the progress view (its final frame stays on screen, and held output follows it); events after
   * this start a new view whose times count from them. Called before a command's own output begins.
   */
  endProgress(): Promise<void>;
  /** Runs `fn` on the second Ctrl-C instead of exiting at once; returns the unregistration. */
  onForce(fn: () => void): () => void;
  /** Flushes the progress view and removes the signal handlers. */
  close(): Promise<void>;
}

/**
 * The first Ctrl-C (or a reader closing stdout) aborts the running operation: the engine stops where it
 * is and the command exits 130. A second Ctrl-C runs the force handlers a command registered (attached
 * `up` kills its containers, as docker compose does) or, without any, exits at once; a third always exits.
 */
export async function openSession(globals: GlobalOptions): Promise<Session> {
  const { createProgress } = await import('../ui/progress.js');
  const { progressModeFrom } = await import('../ui/progress-mode.js');
  const mode = progressModeFrom(globals.progress, process.env);
  const events: EngineEvent[] = [];
  const controller = new AbortController();
  const force = new Set<() => void>();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 2 && force.size > 0) {
      for (const fn of force) fn();
      return;
    }
    if (interrupts > 1) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  const onClosed = (): void => controller.abort(new Error('stdout closed'));
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  if (stdoutClosed.aborted) onClosed();
  else stdoutClosed.addEventListener('abort', onClosed, { once: true });

  let progress: Progress | undefined;
  // The previous view's teardown: a new view starts drawing, and held output is written, only after it.
  let ending: Promise<void> = Promise.resolve();
  let endingViews = 0;
  const held: Array<() => void> = [];
  const holding = (tty: boolean | undefined): boolean =>
    tty === true && (progress?.live === true || endingViews > 0);
  const current = (): Progress =>
    (progress ??= createProgress(mode, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      after: ending,
    }));
  const endProgress = (): Promise<void> => {
    const p = progress;
    if (!p) return ending;
    progress = undefined;
    endingViews += 1;
    ending = ending
      .then(() => p.done())
      .finally(() => {
        endingViews -= 1;
        if (endingViews === 0) for (const write of held.splice(0)) write();
      });
    return ending;
  };
  const write = (tty: boolean | undefined, fn: () => void): void => {
    if (holding(tty)) held.push(fn);
    else fn();
  };
  return {
    sink: (e) => {
      events.push(e);
      current().onEvent(e);
    },
    events,
    signal: controller.signal,
    out: (text) => write(process.stdout.isTTY, () => writeStdout(text)),
    err: (text) => write(process.stderr.isTTY, () => void process.stderr.write(text)),
    endProgress,
    onForce(fn) {
      force.add(fn);
      return () => force.delete(fn);
    },
    close: async () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      stdoutClosed.removeEventListener('abort', onClosed);
      await endProgress();
      for (const w of held.splice(0)) w();
    },
  };
}
