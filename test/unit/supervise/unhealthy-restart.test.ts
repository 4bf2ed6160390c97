import { describe, expect, it } from 'vitest';
import {
  onUnhealthy,
  resolveUnhealthyRestart,
  type UnhealthyHistory,
  type UnhealthyRestartPolicy,
} from '../../../src/supervise/unhealthy-restart.js';
import type { Service } from '../../../src/model/types.js';
import { ModelError } from '../../../src/util/errors.js';

const service = (ext?: unknown): Service =>
  ({
    environment: {},
    labels: {},
    depends_on: {},
    ports: [],
    volumes: [],
    networks: {},
    ...(ext === undefined ? {} : { 'x-cmp': ext }),
  }) as Service;

describe('resolveUnhealthyRestart', () => {
  it.each<[string, unknown, boolean, Partial<UnhealthyRestartPolicy>]>([
    ['off by default', undefined, false, { enabled: false }],
    ['x-cmp without the key', { other: 1 }, false, { enabled: false }],
    ['restart_unhealthy: false', { restart_unhealthy: false }, false, { enabled: false }],
    [
      'restart_unhealthy: true',
      { restart_unhealthy: true },
      false,
      { enabled: true, maxRestarts: 5, windowMs: 600_000 },
    ],
    ['max_restarts', { restart_unhealthy: { max_restarts: 2 } }, false, { enabled: true, maxRestarts: 2 }],
    ['CLI flag', undefined, true, { enabled: true, maxRestarts: 5 }],
  ])('%s', (_name, ext, flag, expected) => {
    expect(resolveUnhealthyRestart(service(ext), flag)).toMatchObject(expected);
  });

  it.each([{ restart_unhealthy: 'yes' }, { restart_unhealthy: { max_restarts: 0 } }])('rejects %j', (ext) => {
    expect(() => resolveUnhealthyRestart(service(ext))).toThrow(ModelError);
  });
});

describe('onUnhealthy', () => {
  const on = resolveUnhealthyRestart(service({ restart_unhealthy: true }));

  it('does nothing when not enabled', () => {
    expect(onUnhealthy(resolveUnhealthyRestart(service()), { restarts: [] }, 0)).toMatchObject({
      action: 'stay',
      reason: 'restart on unhealthy is off',
    });
  });

  it('restarts with back-off until the budget of 5 per 10 minutes is spent', () => {
    let history: UnhealthyHistory = { restarts: [] };
    const delays: (number | string)[] = [];
    let now = 0;
    for (let i = 0; i < 7; i++) {
      const d = onUnhealthy(on, history, now);
      history = d.history;
      delays.push(d.action === 'restart' ? d.delayMs : d.reason);
      now += 30_000;
    }
    expect(delays).toEqual([
      100,
      200,
      400,
      800,
      1600,
      'restart budget spent: 5 unhealthy restarts in 10m0s',
      'restart budget spent: 5 unhealthy restarts in 10m0s',
    ]);
  });

  it('the budget refills as restarts leave the window', () => {
    const history = { restarts: [0, 1_000, 2_000, 3_000, 4_000] };
    expect(onUnhealthy(on, history, 300_000).action).toBe('stay');
    const later = onUnhealthy(on, history, 600_500);
    // Only the restart at 0 has left the window: four remain, so this is the fifth, with their back-off.
    expect(later).toMatchObject({ action: 'restart', attempt: 5, delayMs: 1600 });
    expect(later.history.restarts).toEqual([1_000, 2_000, 3_000, 4_000, 602_100]);
    expect(onUnhealthy(on, history, 700_000)).toMatchObject({ action: 'restart', attempt: 1, delayMs: 100 });
  });

  it('max_restarts sets the budget', () => {
    const two = resolveUnhealthyRestart(service({ restart_unhealthy: { max_restarts: 2 } }));
    expect(onUnhealthy(two, { restarts: [10, 20] }, 100).action).toBe('stay');
    expect(onUnhealthy(two, { restarts: [10] }, 100)).toMatchObject({
      action: 'restart',
      attempt: 2,
      at: 300,
    });
  });
});
