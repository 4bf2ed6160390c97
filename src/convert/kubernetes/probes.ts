// Healthchecks become probes. A compose healthcheck marks a container unhealthy without killing
// it; the readiness probe keeps that meaning (the pod leaves its Service's endpoints) and the
// liveness probe adds the restart most users expected from `restart:` plus a healthcheck.
import type { Healthcheck } from '../../model/types.js';
import { durationMs } from '../../model/duration.js';
import type { Probe } from './types.js';
import { escapeExpansion } from './names.js';

/** Compose defaults: interval 30s, timeout 30s, retries 3, start_interval 5s. */
const DEFAULTS = { interval: 30_000, timeout: 30_000, retries: 3, startInterval: 5_000 };

/** Whole seconds, rounded up, at least 1: probes have no sub-second periods. */
export function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function command(test: string[]): string[] | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD') return rest.length ? rest.map(escapeExpansion) : undefined;
  if (kind === 'CMD-SHELL')
    return rest.length ? ['/bin/sh', '-c', escapeExpansion(rest.join(' '))] : undefined;
  return undefined;
}

export interface Probes {
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

/**
 * start_period becomes a startup probe: until it first passes, the other probes do not run, the
 * way failures inside start_period do not count in compose. It allows start_period at
 * start_interval, then `retries` more attempts.
 */
export function probesFor(hc: Healthcheck | undefined): Probes {
  if (!hc || hc.disable || !hc.test) return {};
  const cmd = command(hc.test);
  if (!cmd) return {};
  const base: Probe = {
    exec: { command: cmd },
    periodSeconds: seconds(durationMs(hc.interval, DEFAULTS.interval)),
    timeoutSeconds: seconds(durationMs(hc.timeout, DEFAULTS.timeout)),
    failureThreshold: Math.max(1, hc.retries ?? DEFAULTS.retries),
  };
  const out: Probes = { readinessProbe: base, livenessProbe: { ...base, exec: { command: [...cmd] } } };
  const startMs = durationMs(hc.start_period, 0);
  if (startMs > 0) {
    const period = seconds(durationMs(hc.start_interval, DEFAULTS.startInterval));
    out.startupProbe = {
      exec: { command: [...cmd] },
      periodSeconds: period,
      timeoutSeconds: base.timeoutSeconds,
      failureThreshold: Math.ceil(seconds(startMs) / period) + base.failureThreshold,
    };
  }
  return out;
}
