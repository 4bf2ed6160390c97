import { describe, expect, it } from 'vitest';
import {
  decideRestart,
  FRESH_COUNTERS,
  type RestartCounters,
  type RestartDecision,
} from '../../../src/supervise/restart-decider.js';
import { resolveRestartPolicy, type RestartPolicy } from '../../../src/supervise/restart-policy.js';
import { containersToStartOnBoot } from '../../../src/supervise/boot.js';

const NOW = 1_000_000;
const policy = (restart: string): RestartPolicy => resolveRestartPolicy({ restart });

function exitOnce(
  p: RestartPolicy,
  exitCode: number,
  opts: { ranMs?: number; byUser?: boolean; stoppedByUser?: boolean; counters?: RestartCounters } = {},
): RestartDecision {
  return decideRestart({
    policy: p,
    exit: { exitCode, byUser: opts.byUser ?? false, ranMs: opts.ranMs ?? 0 },
    counters: opts.counters ?? FRESH_COUNTERS,
    stoppedByUser: opts.stoppedByUser ?? false,
    boot: false,
    now: NOW,
  });
}

/** Runs a crash loop: each run lasts ranMs[i]; returns the delays, or 'stop' when the policy gives up. */
function loop(p: RestartPolicy, exitCode: number, runs: number[]): (number | string)[] {
  let counters = FRESH_COUNTERS;
  const out: (number | string)[] = [];
  for (const ranMs of runs) {
    const d = exitOnce(p, exitCode, { ranMs, counters });
    counters = d.counters;
    out.push(d.action === 'restart' ? d.delayMs : 'stop');
  }
  return out;
}

describe('restart decision after an exit', () => {
  it.each<[string, number, 'restart' | 'stay-stopped']>([
    ['no', 0, 'stay-stopped'],
    ['no', 1, 'stay-stopped'],
    ['always', 0, 'restart'],
    ['always', 137, 'restart'],
    ['unless-stopped', 0, 'restart'],
    ['unless-stopped', 2, 'restart'],
    ['on-failure', 0, 'stay-stopped'],
    ['on-failure', 1, 'restart'],
    ['on-failure:2', 1, 'restart'],
  ])('restart: %s, exit %i -> %s', (restart, code, action) => {
    expect(exitOnce(policy(restart), code).action).toBe(action);
  });

  it.each(['always', 'unless-stopped', 'on-failure'])('%s: a stop by the user is never undone', (restart) => {
    const d = exitOnce(policy(restart), 137, { byUser: true });
    expect(d).toMatchObject({ action: 'stay-stopped', reason: 'stopped by the user' });
    const later = exitOnce(policy(restart), 1, { stoppedByUser: true });
    expect(later.action).toBe('stay-stopped');
  });

  it('first restart waits 100 ms and is attempt 1, at now + delay', () => {
    expect(exitOnce(policy('always'), 1)).toMatchObject({
      action: 'restart',
      delayMs: 100,
      attempt: 1,
      at: NOW + 100,
    });
  });

  it('back-off doubles for quick failures and is capped at 60 s', () => {
    const delays = loop(policy('always'), 1, Array<number>(12).fill(50));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
  });

  it('a run of 10 s or more resets the back-off', () => {
    expect(loop(policy('always'), 1, [0, 0, 0, 10_000, 0, 9_999, 0])).toEqual([
      100, 200, 400, 100, 200, 400, 800,
    ]);
  });

  it('counts restarts in restartCount and attempt', () => {
    let counters = FRESH_COUNTERS;
    const attempts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const d = exitOnce(policy('always'), 1, { counters, ranMs: 20_000 });
      if (d.action !== 'restart') throw new Error('expected restart');
      attempts.push(d.attempt);
      counters = d.counters;
    }
    expect(attempts).toEqual([1, 2, 3]);
    expect(counters.restartCount).toBe(3);
  });

  it('on-failure:3 gives up after three restarts, even with long runs (no window)', () => {
    expect(loop(policy('on-failure:3'), 1, [20_000, 20_000, 20_000, 20_000])).toEqual([
      100,
      100,
      100,
      'stop',
    ]);
    const last = exitOnce(policy('on-failure:3'), 1, {
      counters: { restartCount: 3, attempts: 3, quickFailures: 0 },
    });
    expect(last).toMatchObject({ action: 'stay-stopped', reason: 'gave up after 3 restarts (limit 3)' });
  });

  it('on-failure:0 is unlimited', () => {
    expect(loop(policy('on-failure:0'), 1, [0, 0, 0, 0, 0])).toEqual([100, 200, 400, 800, 1600]);
  });

  it('deploy.restart_policy.max_attempts limits restarts for condition any', () => {
    const p = resolveRestartPolicy({ deploy: { restart_policy: { condition: 'any', max_attempts: 2 } } });
    expect(loop(p, 0, [0, 0, 0])).toEqual([100, 200, 'stop']);
  });

  it('deploy.restart_policy.delay replaces the back-off base', () => {
    const p = resolveRestartPolicy({ deploy: { restart_policy: { delay: '5s' } } });
    expect(loop(p, 1, [0, 0, 0, 0, 0, 0, 0, 20_000])).toEqual([
      5000, 10000, 20000, 40000, 60000, 60000, 60000, 5000,
    ]);
  });

  it('a delay above the cap is used as is', () => {
    const p = resolveRestartPolicy({ deploy: { restart_policy: { delay: '2m' } } });
    expect(loop(p, 1, [0, 0])).toEqual([120_000, 120_000]);
  });

  it('window: a run that outlasts it makes the earlier restarts succeed, so they stop counting', () => {
    const p = resolveRestartPolicy({
      deploy: { restart_policy: { condition: 'on-failure', max_attempts: 2, window: '30s' } },
    });
    // Two failed restarts (runs shorter than the window), then one run of 30 s, then two more.
    expect(loop(p, 1, [1_000, 1_000, 30_000, 1_000, 1_000])).toEqual([100, 200, 100, 200, 'stop']);
    // Without the long run the limit is reached at once.
    expect(loop(p, 1, [1_000, 1_000, 29_999])).toEqual([100, 200, 'stop']);
  });
});

describe('supervisor start (boot)', () => {
  const boot = (restart: string, stoppedByUser: boolean): RestartDecision =>
    decideRestart({
      policy: policy(restart),
      exit: { exitCode: 137, byUser: false, ranMs: 0 },
      counters: { restartCount: 7, attempts: 7, quickFailures: 7 },
      stoppedByUser,
      boot: true,
      now: NOW,
    });

  it.each<[string, boolean, 'restart' | 'stay-stopped']>([
    ['no', false, 'stay-stopped'],
    ['on-failure', false, 'stay-stopped'],
    ['on-failure:5', false, 'stay-stopped'],
    ['always', false, 'restart'],
    ['always', true, 'restart'],
    ['unless-stopped', false, 'restart'],
    ['unless-stopped', true, 'stay-stopped'],
  ])('restart: %s, stopped by user %s -> %s', (restart, stopped, action) => {
    expect(boot(restart, stopped).action).toBe(action);
  });

  it('starts at once and resets the counters', () => {
    expect(boot('always', false)).toMatchObject({
      delayMs: 0,
      at: NOW,
      attempt: 0,
      counters: FRESH_COUNTERS,
    });
  });

  it('lists the containers to start, skipping running and manually stopped unless-stopped ones', () => {
    const c = (name: string, restart: string, running: boolean, stoppedByUser: boolean) => ({
      name,
      policy: policy(restart),
      running,
      exitCode: 0,
      counters: FRESH_COUNTERS,
      stoppedByUser,
    });
    const starts = containersToStartOnBoot(
      [
        c('p-db-1', 'always', false, false),
        c('p-web-1', 'unless-stopped', false, false),
        c('p-cache-1', 'unless-stopped', false, true),
        c('p-job-1', 'on-failure', false, false),
        c('p-proxy-1', 'always', true, false),
        c('p-admin-1', 'always', false, true),
        c('p-once-1', 'no', false, false),
      ],
      NOW,
    );
    expect(starts.map((s) => s.name)).toEqual(['p-db-1', 'p-web-1', 'p-admin-1']);
  });
});
