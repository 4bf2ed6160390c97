// The healthcheck state machine as the engine runs it. Pure: the caller runs each probe (killing it
// at `config.timeoutMs`), then asks for the new state and when to probe next.
import type { HealthcheckConfig } from './healthcheck-config.js';

export type HealthStatusValue = 'none' | 'starting' | 'healthy' | 'unhealthy';

export interface HealthState {
  /** 'none' = no healthcheck: never probed. */
  status: HealthStatusValue;
  config: HealthcheckConfig | undefined;
  /** When the container started: the start period counts from here. */
  startedAt: number;
  /** Consecutive counted failures. */
  failingStreak: number;
  /** undefined when there is nothing to probe. */
  nextProbeAt: number | undefined;
  lastExitCode?: number;
  lastOutput?: string;
}

export interface ProbeResult {
  exitCode: number;
  /** When the probe was started (decides whether it fell in the start period). */
  startedAt: number;
  /** The caller killed it at the timeout. */
  timedOut?: boolean;
  output?: string;
}

export interface HealthTransition {
  state: HealthState;
  nextProbeAt: number | undefined;
  /** The status differs from the previous one (emit a health event). */
  changed: boolean;
}

/** Probe output kept for inspect, like the engine's log entries. */
const MAX_OUTPUT = 4096;

export function initialHealth(config: HealthcheckConfig | undefined, startedAt: number): HealthState {
  if (!config) return { status: 'none', config, startedAt, failingStreak: 0, nextProbeAt: undefined };
  const state: HealthState = {
    status: 'starting',
    config,
    startedAt,
    failingStreak: 0,
    nextProbeAt: undefined,
  };
  return { ...state, nextProbeAt: startedAt + probeInterval(state, startedAt) };
}

/** `now` is when the probe finished; the next one is timed from then. */
export function onProbeResult(state: HealthState, result: ProbeResult, now: number): HealthTransition {
  const config = state.config;
  if (!config || state.status === 'none') return { state, nextProbeAt: undefined, changed: false };

  const timedOut = result.timedOut === true || now - result.startedAt > config.timeoutMs;
  const output = timedOut
    ? `Health check exceeded timeout (${config.timeoutMs / 1000}s)`
    : (result.output ?? '').slice(0, MAX_OUTPUT);
  let status = state.status;
  let failingStreak = state.failingStreak;
  if (!timedOut && result.exitCode === 0) {
    status = 'healthy';
    failingStreak = 0;
  } else {
    // Until the first success, failures that start inside the start period are free.
    const inStartPeriod =
      state.status === 'starting' && result.startedAt - state.startedAt < config.startPeriodMs;
    if (!inStartPeriod) {
      failingStreak += 1;
      if (failingStreak >= config.retries) status = 'unhealthy';
    }
  }
  const next: HealthState = {
    ...state,
    status,
    failingStreak,
    lastExitCode: timedOut ? -1 : result.exitCode,
    lastOutput: output,
  };
  next.nextProbeAt = now + probeInterval(next, now);
  return { state: next, nextProbeAt: next.nextProbeAt, changed: status !== state.status };
}

/** Milliseconds from `now` until the next probe is due (0 if overdue); undefined = never. */
export function nextProbeDelay(state: HealthState, now: number): number | undefined {
  if (state.nextProbeAt === undefined) return undefined;
  return Math.max(0, state.nextProbeAt - now);
}

// start_interval applies only while still starting inside the start period; otherwise interval.
function probeInterval(state: HealthState, now: number): number {
  const config = state.config;
  if (!config) return 0;
  if (now - state.startedAt >= config.startPeriodMs) return config.intervalMs;
  return state.status === 'starting' ? config.startIntervalMs : config.intervalMs;
}
