import { describe, expect, it } from 'vitest';
import { resolveRestartPolicy } from '../../../src/supervise/restart-policy.js';
import { ModelError } from '../../../src/util/errors.js';
import type { Service } from '../../../src/model/types.js';

type In = Pick<Service, 'restart' | 'deploy'>;

describe('resolveRestartPolicy', () => {
  it.each<[string, In, object]>([
    ['absent', {}, { mode: 'no', maxAttempts: 0, baseDelayMs: 100, windowMs: 0 }],
    ['"no"', { restart: 'no' }, { mode: 'no' }],
    ['always', { restart: 'always' }, { mode: 'always', maxAttempts: 0 }],
    ['on-failure', { restart: 'on-failure' }, { mode: 'on-failure', maxAttempts: 0 }],
    ['on-failure:3', { restart: 'on-failure:3' }, { mode: 'on-failure', maxAttempts: 3 }],
    ['unless-stopped', { restart: 'unless-stopped' }, { mode: 'unless-stopped' }],
    ['deploy default condition is any', { deploy: { restart_policy: {} } }, { mode: 'always' }],
    ['deploy none', { restart: 'always', deploy: { restart_policy: { condition: 'none' } } }, { mode: 'no' }],
    [
      'deploy overrides restart',
      { restart: 'no', deploy: { restart_policy: { condition: 'on-failure', max_attempts: 2 } } },
      { mode: 'on-failure', maxAttempts: 2 },
    ],
    [
      'deploy delay and window',
      { deploy: { restart_policy: { condition: 'any', delay: '2s', window: '30s' } } },
      { mode: 'always', baseDelayMs: 2000, windowMs: 30_000 },
    ],
    [
      'deploy delay 0 keeps the default base',
      { deploy: { restart_policy: { delay: '0s' } } },
      { baseDelayMs: 100 },
    ],
  ])('%s', (_name, service, expected) => {
    expect(resolveRestartPolicy(service)).toMatchObject(expected);
  });

  it.each(['sometimes', 'always:3', 'on-failure:x', 'on-failure:1:2'])('rejects restart "%s"', (restart) => {
    expect(() => resolveRestartPolicy({ restart })).toThrow(ModelError);
  });

  it('rejects a deploy delay that is not a duration', () => {
    expect(() => resolveRestartPolicy({ deploy: { restart_policy: { delay: 'soon' } } })).toThrow(
      /not a duration/,
    );
  });
});
