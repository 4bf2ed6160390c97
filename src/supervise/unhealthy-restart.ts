// Opt-in restart of containers whose healthcheck turns unhealthy (the engine never does this). A
// budget per time window keeps a permanently broken service from restarting forever.
import type { Service } from '../model/types.js';
import { ModelError } from '../util/errors.js';
import { formatDuration } from '../model/duration.js';
import { backoffDelay, BACKOFF_BASE_MS } from './backoff.js';

/** Service extension key, e.g. `x-cmp: { restart_unhealthy: { max_restarts: 3 } }`. */
export const CMP_EXTENSION = 'x-cmp';

export interface UnhealthyRestartPolicy {
  enabled: boolean;
  /** Restarts allowed inside `windowMs`. */
  maxRestarts: number;
  windowMs: number;
  baseDelayMs: number;
}

export const UNHEALTHY_DEFAULTS = { maxRestarts: 5, windowMs: 10 * 60_000 } as const;

const DISABLED: UnhealthyRestartPolicy = {
  enabled: false,
  maxRestarts: UNHEALTHY_DEFAULTS.maxRestarts,
  windowMs: UNHEALTHY_DEFAULTS.windowMs,
  baseDelayMs: BACKOFF_BASE_MS,
};

/** The CLI flag switches it on for every service; the extension can also set the budget. */
export function resolveUnhealthyRestart(service: Service, cliFlag = false): UnhealthyRestartPolicy {
  const ext = service[CMP_EXTENSION];
  const setting = isRecord(ext) ? ext['restart_unhealthy'] : undefined;
  if (setting === undefined || setting === false) return cliFlag ? { ...DISABLED, enabled: true } : DISABLED;
  if (setting === true) return { ...DISABLED, enabled: true };
  if (isRecord(setting)) {
    const max = setting['max_restarts'] ?? UNHEALTHY_DEFAULTS.maxRestarts;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      throw new ModelError(`x-cmp.restart_unhealthy.max_restarts must be a whole number >= 1`);
    }
    return { ...DISABLED, enabled: true, maxRestarts: max };
  }
  throw new ModelError('x-cmp.restart_unhealthy must be true, false or { max_restarts: N }');
}

export interface UnhealthyHistory {
  /** Times of the restarts made because the container was unhealthy. */
  restarts: number[];
}

export type UnhealthyDecision =
  | { action: 'restart'; delayMs: number; at: number; attempt: number; history: UnhealthyHistory }
  | { action: 'stay'; reason: string; history: UnhealthyHistory };

export function onUnhealthy(
  policy: UnhealthyRestartPolicy,
  history: UnhealthyHistory,
  now: number,
): UnhealthyDecision {
  const recent = history.restarts.filter((t) => now - t < policy.windowMs);
  if (!policy.enabled)
    return { action: 'stay', reason: 'restart on unhealthy is off', history: { restarts: recent } };
  if (recent.length >= policy.maxRestarts) {
    return {
      action: 'stay',
      reason: `restart budget spent: ${recent.length} unhealthy restarts in ${formatDuration(policy.windowMs)}`,
      history: { restarts: recent },
    };
  }
  // Restarts still inside the window are the back-off exponent, so the delay relaxes as they age out.
  const delayMs = backoffDelay(recent.length, policy.baseDelayMs);
  return {
    action: 'restart',
    delayMs,
    at: now + delayMs,
    attempt: recent.length + 1,
    history: { restarts: [...recent, now + delayMs] },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
