// Progress output and Ctrl-C handling shared by the commands that change state.
import type { EngineEvent, EventSink } from '../engine/events.js';
import type { GlobalOptions } from './globals.js';

export interface Session {
  sink: EventSink;
  /** Every event seen, for --timeline. */
  events: EngineEvent[];
  signal: AbortSignal;
  /** Flushes the progress view and removes the signal handlers. */
  close(): Promise<void>;
}

/**
 * The first Ctrl-C aborts the running operation (the engine stops where it is and the command exits 130);
 * a second one exits at once, as docker compose does.
 */
export async function openSession(globals: GlobalOptions): Promise<Session> {
  const { createProgress } = await import('../ui/progress.js');
  const { progressModeFrom } = await import('../ui/progress-mode.js');
  const progress = createProgress(progressModeFrom(globals.progress, process.env), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  const events: EngineEvent[] = [];
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    sink: (e) => {
      events.push(e);
      progress.onEvent(e);
    },
    events,
    signal: controller.signal,
    close: async () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      await progress.done();
    },
  };
}
