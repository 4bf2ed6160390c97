import { describe, expect, it } from 'vitest';
import { resolveHealthcheck, type HealthcheckConfig } from '../../../src/supervise/healthcheck-config.js';
import {
  initialHealth,
  nextProbeDelay,
  onProbeResult,
  type HealthState,
} from '../../../src/supervise/health-state.js';
import { ModelError } from '../../../src/util/errors.js';

const T0 = 1_000_000;
const cfg = (over: Partial<HealthcheckConfig> = {}): HealthcheckConfig => ({
  probe: { kind: 'exec', argv: ['true'] },
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 5_000,
  ...over,
});

/** Feeds probe results (exit codes, each probe taking 10 ms, run when due); returns status after each. */
function run(
  config: HealthcheckConfig,
  codes: number[],
): { statuses: string[]; times: number[]; state: HealthState } {
  let state = initialHealth(config, T0);
  const statuses: string[] = [];
  const times: number[] = [];
  for (const code of codes) {
    const start = state.nextProbeAt ?? 0;
    times.push(start - T0);
    state = onProbeResult(state, { exitCode: code, startedAt: start }, start + 10).state;
    statuses.push(state.status);
  }
  return { statuses, times, state };
}

describe('resolveHealthcheck', () => {
  it('applies the engine defaults', () => {
    expect(resolveHealthcheck({ test: ['CMD', 'true'] }, undefined)).toEqual({
      probe: { kind: 'exec', argv: ['true'] },
      intervalMs: 30_000,
      timeoutMs: 30_000,
      retries: 3,
      startPeriodMs: 0,
      startIntervalMs: 5_000,
    });
  });

  it('reads durations and CMD-SHELL', () => {
    expect(
      resolveHealthcheck(
        {
          test: ['CMD-SHELL', 'curl -f localhost || exit 1'],
          interval: '10s',
          timeout: '2s',
          retries: 5,
          start_period: '1m',
          start_interval: '1s',
        },
        undefined,
      ),
    ).toEqual({
      probe: { kind: 'shell', command: 'curl -f localhost || exit 1' },
      intervalMs: 10_000,
      timeoutMs: 2_000,
      retries: 5,
      startPeriodMs: 60_000,
      startIntervalMs: 1_000,
    });
  });

  it.each([
    ['no healthcheck anywhere', undefined, undefined],
    ['test NONE', { test: ['NONE'] }, { test: ['CMD', 'x'] }],
    ['disable: true', { disable: true }, { test: ['CMD', 'x'] }],
    ['image test NONE', undefined, { test: ['NONE'] }],
  ])('%s -> no healthcheck', (_name, service, image) => {
    expect(resolveHealthcheck(service, image)).toBeUndefined();
  });

  it('falls back to the image healthcheck, field by field', () => {
    const image = { test: ['CMD', 'probe'], interval: 7_000, timeout: 1_000, retries: 9, startPeriod: 3_000 };
    expect(resolveHealthcheck(undefined, image)).toMatchObject({
      probe: { kind: 'exec', argv: ['probe'] },
      intervalMs: 7_000,
      timeoutMs: 1_000,
      retries: 9,
      startPeriodMs: 3_000,
      startIntervalMs: 5_000,
    });
    expect(resolveHealthcheck({ interval: '2s', retries: 0 }, image)).toMatchObject({
      probe: { kind: 'exec', argv: ['probe'] },
      intervalMs: 2_000,
      retries: 9,
      timeoutMs: 1_000,
    });
    expect(resolveHealthcheck({ test: ['CMD-SHELL', 'own'] }, image)).toMatchObject({
      probe: { kind: 'shell', command: 'own' },
    });
  });

  it('zero durations mean unset', () => {
    expect(
      resolveHealthcheck({ test: ['CMD', 'x'], interval: '0s', timeout: '0s' }, undefined),
    ).toMatchObject({
      intervalMs: 30_000,
      timeoutMs: 30_000,
    });
  });

  it.each([[['WGET', 'x']], [['CMD']], [['CMD-SHELL']]])('rejects test %j', (test) => {
    expect(() => resolveHealthcheck({ test }, undefined)).toThrow(ModelError);
  });
});

describe('health state machine', () => {
  it('starts as starting, first probe one interval after the start', () => {
    const s = initialHealth(cfg(), T0);
    expect(s).toMatchObject({ status: 'starting', failingStreak: 0, nextProbeAt: T0 + 30_000 });
    expect(nextProbeDelay(s, T0 + 1_000)).toBe(29_000);
    expect(nextProbeDelay(s, T0 + 40_000)).toBe(0);
  });

  it('no healthcheck: status none, never probed, results ignored', () => {
    const s = initialHealth(undefined, T0);
    expect(s.status).toBe('none');
    expect(nextProbeDelay(s, T0)).toBeUndefined();
    expect(onProbeResult(s, { exitCode: 0, startedAt: T0 }, T0)).toMatchObject({ changed: false, state: s });
  });

  it('a success makes it healthy', () => {
    expect(run(cfg(), [0]).statuses).toEqual(['healthy']);
  });

  it('retries consecutive failures make it unhealthy; a success resets the streak', () => {
    expect(run(cfg(), [1, 1, 1]).statuses).toEqual(['starting', 'starting', 'unhealthy']);
    expect(run(cfg(), [0, 1, 1, 0, 1, 1, 1]).statuses).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'unhealthy',
    ]);
    expect(run(cfg({ retries: 1 }), [1]).statuses).toEqual(['unhealthy']);
  });

  it('unhealthy turns healthy again on one success and keeps probing', () => {
    const r = run(cfg({ retries: 2 }), [1, 1, 1, 0]);
    expect(r.statuses).toEqual(['starting', 'unhealthy', 'unhealthy', 'healthy']);
    expect(r.state.failingStreak).toBe(0);
  });

  it('reports a status change once', () => {
    const s0 = initialHealth(cfg(), T0);
    const a = onProbeResult(s0, { exitCode: 0, startedAt: T0 + 30_000 }, T0 + 30_010);
    const b = onProbeResult(a.state, { exitCode: 0, startedAt: T0 + 60_010 }, T0 + 60_020);
    expect([a.changed, b.changed]).toEqual([true, false]);
    expect(a.nextProbeAt).toBe(T0 + 60_010);
  });

  it('start_period: probes run every start_interval and failures do not count', () => {
    const r = run(cfg({ startPeriodMs: 20_000, startIntervalMs: 5_000, retries: 2 }), [1, 1, 1, 1, 1, 1]);
    // Probes at 5, 10 and 15 s are inside the period (free); the one at 20.03 s is not, and after it the
    // regular interval applies.
    expect(r.times).toEqual([5_000, 10_010, 15_020, 20_030, 50_040, 80_050]);
    expect(r.state.failingStreak).toBe(3);
    expect(r.statuses).toEqual(['starting', 'starting', 'starting', 'starting', 'unhealthy', 'unhealthy']);
  });

  it('a failure after start_period counts even if the interval began inside it', () => {
    const r = run(cfg({ startPeriodMs: 12_000, startIntervalMs: 5_000, retries: 1 }), [1, 1, 1]);
    expect(r.times).toEqual([5_000, 10_010, 15_020]);
    expect(r.statuses).toEqual(['starting', 'starting', 'unhealthy']);
  });

  it('a success during start_period makes it healthy and ends the start period', () => {
    const r = run(cfg({ startPeriodMs: 60_000, startIntervalMs: 5_000, retries: 1 }), [0, 1]);
    expect(r.times).toEqual([5_000, 35_010]);
    expect(r.statuses).toEqual(['healthy', 'unhealthy']);
  });

  it('start_interval has no effect without a start period', () => {
    expect(run(cfg({ startIntervalMs: 1_000 }), [1, 1]).times).toEqual([30_000, 60_010]);
  });

  it('a probe exceeding the timeout is a failure, whatever its exit code', () => {
    const s0 = initialHealth(cfg({ timeoutMs: 2_000, retries: 1 }), T0);
    const slow = onProbeResult(s0, { exitCode: 0, startedAt: T0 + 30_000 }, T0 + 32_001);
    expect(slow.state).toMatchObject({
      status: 'unhealthy',
      lastExitCode: -1,
      lastOutput: 'Health check exceeded timeout (2s)',
    });
    const killed = onProbeResult(s0, { exitCode: 0, startedAt: T0 + 30_000, timedOut: true }, T0 + 30_500);
    expect(killed.state.status).toBe('unhealthy');
    const justInTime = onProbeResult(s0, { exitCode: 0, startedAt: T0 + 30_000 }, T0 + 32_000);
    expect(justInTime.state.status).toBe('healthy');
  });

  it('any non-zero exit is a failure and the output is kept (up to 4096 bytes)', () => {
    const s0 = initialHealth(cfg({ retries: 1 }), T0);
    const r = onProbeResult(s0, { exitCode: 2, startedAt: T0, output: 'x'.repeat(5000) }, T0 + 1);
    expect(r.state.status).toBe('unhealthy');
    expect(r.state.lastOutput).toHaveLength(4096);
  });
});
