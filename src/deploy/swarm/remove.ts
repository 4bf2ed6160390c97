// Removing Swarm objects right after the services that used them: the engine refuses while task
// containers are still going away, so removal is retried for a while before it counts as failed.
import { engineError, isNotFound } from '../../runtime/docker/errors.js';

const RETRY_MS = 30_000;

export async function removeWithRetry(
  what: string,
  fn: () => Promise<unknown>,
  timeoutMs = RETRY_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    try {
      await fn();
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (Date.now() > deadline) throw engineError(what, e);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}
