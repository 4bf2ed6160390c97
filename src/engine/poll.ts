// Conditions are observed by polling the runtime: both drivers answer inspect cheaply, and polling needs no
// event stream that could miss a transition.
import { EngineError } from '../util/errors.js';

/** Rejects with an interruption error (exit code 130) when the signal fires. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw interrupted(signal);
}

export function interrupted(signal: AbortSignal): EngineError {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineError) return reason;
  return new EngineError('operation interrupted', { exitCode: 130, cause: reason });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(interrupted(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(interrupted(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `check` until it returns a value other than undefined; errors from `check` end the wait. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  intervalMs: number,
  signal: AbortSignal,
): Promise<T> {
  for (;;) {
    throwIfAborted(signal);
    const value = await check();
    if (value !== undefined) return value;
    await delay(intervalMs, signal);
  }
}
