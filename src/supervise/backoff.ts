// One back-off curve for every kind of automatic restart (exit policy and unhealthy restarts), so a
// crash loop and a health loop slow down the same way.

/** First delay when no other base is configured. */
export const BACKOFF_BASE_MS = 100;
/** Upper bound of the doubling, unless the configured base is already larger. */
export const BACKOFF_CAP_MS = 60_000;
/** A run at least this long is not a crash loop: the back-off starts over. */
export const BACKOFF_RESET_AFTER_MS = 10_000;

/** Delay before the restart that follows `quickFailures` consecutive short runs. */
export function backoffDelay(quickFailures: number, baseMs: number = BACKOFF_BASE_MS): number {
  const cap = Math.max(BACKOFF_CAP_MS, baseMs);
  // Past 2^20 the product is far above the cap; stopping there keeps the arithmetic finite.
  const factor = 2 ** Math.min(Math.max(quickFailures, 0), 20);
  return Math.min(cap, baseMs * factor);
}
