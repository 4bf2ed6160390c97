// The engine counts healthcheck durations in nanoseconds and stop timeouts in whole seconds.
import { durationMs } from '../../model/duration.js';
import type { Duration } from '../../model/types.js';

export function toNanos(value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = durationMs(value, NaN);
  return Number.isFinite(ms) ? Math.round(ms * 1e6) : undefined;
}

export function toSeconds(value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = durationMs(value, NaN);
  return Number.isFinite(ms) ? Math.ceil(ms / 1000) : undefined;
}

export function nanosToMs(ns: number | undefined): number | undefined {
  return ns === undefined || ns === 0 ? undefined : ns / 1e6;
}
