import { describe, expect, it } from 'vitest';
import { checkUpConflicts, isDetached, upOptions } from '../../../src/cli/commands/flags/up-flags.js';
import {
  envFlag,
  scaleFlag,
  secondsFlag,
  tailFlag,
  timeFlag,
} from '../../../src/cli/commands/flags/values.js';
import { readExecFlags } from '../../../src/cli/commands/exec.js';
import { readRunFlags } from '../../../src/cli/commands/run.js';
import { UsageError } from '../../../src/util/errors.js';
import { parsed, upConflict as conflict, upFlags } from './parsed.js';

describe('up flag conflicts', () => {
  it('rejects the combinations compose rejects, in one line', async () => {
    expect(await conflict('--build', '--no-build')).toBe('--build and --no-build cannot be used together');
    expect(await conflict('--no-build', '--build')).toBe('--build and --no-build cannot be used together');
    expect(await conflict('-d', '--abort-on-container-exit')).toMatch(
      /--detach and --abort-on-container-exit/,
    );
    expect(await conflict('-d', '--exit-code-from', 'web')).toMatch(/--detach and --exit-code-from/);
    expect(await conflict('--wait', '--abort-on-container-exit')).toMatch(/--wait and/);
    expect(await conflict('--no-recreate', '--force-recreate')).toMatch(/--no-recreate and --force-recreate/);
    expect(await conflict('--no-recreate', '--always-recreate-deps')).toMatch(/--always-recreate-deps/);
    expect(await conflict('--abort-on-container-failure', '--abort-on-container-exit')).toMatch(
      /--abort-on-container-failure and --abort-on-container-exit/,
    );
    expect(await conflict('--wait-timeout', '-3')).toMatch(/--wait-timeout/);
  });

  it('refuses --remove-orphans when COMPOSE_IGNORE_ORPHANS is set', async () => {
    const f = await upFlags('--remove-orphans');
    expect(() => checkUpConflicts(f, { COMPOSE_IGNORE_ORPHANS: 'true' })).toThrow(/COMPOSE_IGNORE_ORPHANS/);
    expect(() => checkUpConflicts(f, {})).not.toThrow();
  });

  it('accepts compatible flags and maps them onto engine options', async () => {
    const f = await upFlags(
      '--wait',
      '--wait-timeout',
      '30',
      '--no-deps',
      '--scale',
      'web=3',
      '--scale',
      'db=0',
      '-t',
      '5',
      '--force-recreate',
    );
    checkUpConflicts(f);
    expect(isDetached(f)).toBe(true);
    expect(upOptions(f, ['web'])).toEqual({
      services: ['web'],
      noDeps: true,
      forceRecreate: true,
      scale: { web: 3, db: 0 },
      timeoutMs: 5000,
      wait: true,
      waitTimeoutMs: 30_000,
    });
    const plain = await upFlags('--no-color', '--no-log-prefix', '--no-recreate');
    expect(plain).toMatchObject({
      color: false,
      logPrefix: false,
      noRecreate: true,
      build: false,
      noBuild: false,
    });
    expect(isDetached(plain)).toBe(false);
  });
});

describe('flag values', () => {
  it('parses --scale', () => {
    expect(scaleFlag(['web=3', 'db=1', 'web=2'])).toEqual({ web: 2, db: 1 });
    expect(() => scaleFlag(['web'])).toThrow(/SERVICE=NUM/);
    expect(() => scaleFlag(['web=-1'])).toThrow(UsageError);
  });

  it('parses --since and --until as durations back, RFC 3339 or Unix seconds', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(timeFlag('10m', '--since', now)).toBe(now - 600_000);
    expect(timeFlag('1h30m', '--since', now)).toBe(now - 5_400_000);
    expect(timeFlag('2024-05-01T11:00:00Z', '--since', now)).toBe(Date.parse('2024-05-01T11:00:00Z'));
    expect(timeFlag('2024-05-01T13:00:00+02:00', '--until', now)).toBe(Date.parse('2024-05-01T11:00:00Z'));
    expect(timeFlag('1714560000', '--since', now)).toBe(1_714_560_000_000);
    expect(timeFlag(undefined, '--since', now)).toBeUndefined();
    expect(() => timeFlag('yesterday', '--since', now)).toThrow(/--since: cannot read "yesterday"/);
  });

  it('parses -t, --tail and -e', () => {
    expect(secondsFlag('0', '-t')).toBe(0);
    expect(() => secondsFlag('1.5', '-t')).toThrow(UsageError);
    expect(tailFlag('all')).toBeUndefined();
    expect(tailFlag('5')).toBe(5);
    expect(() => tailFlag('x')).toThrow(/--tail/);
    expect(envFlag(['A=1', 'B=', 'HOME', 'MISSING'], { HOME: '/root' })).toEqual({
      A: '1',
      B: '',
      HOME: '/root',
    });
  });
});

describe('exec and run command lines', () => {
  it('passes everything after the service through as the command', async () => {
    const p = await parsed(['exec', '-T', '-e', 'A=1', '--index', '2', 'web', 'ls', '-la', '--color']);
    expect(p.args).toEqual(['web', 'ls', '-la', '--color']);
    const f = readExecFlags(p.opts, true, {});
    expect(f).toMatchObject({ tty: false, env: { A: '1' }, index: 2 });
    expect(readExecFlags((await parsed(['exec', 'web', 'sh'])).opts, true, {}).tty).toBe(true);
    expect(readExecFlags((await parsed(['exec', 'web', 'sh'])).opts, false, {}).tty).toBe(false);
  });

  it('reads run flags and refuses --rm with -d', async () => {
    const p = await parsed([
      'run',
      '--rm',
      '--no-deps',
      '--entrypoint',
      'sh -c',
      '-u',
      '1000',
      'job',
      'echo',
      'hi',
    ]);
    expect(p.args).toEqual(['job', 'echo', 'hi']);
    expect(readRunFlags(p.opts, false, {})).toMatchObject({
      rm: true,
      noDeps: true,
      entrypoint: ['sh', '-c'],
      user: '1000',
    });
    expect(() => readRunFlags({ rm: true, detach: true }, false, {})).toThrow(/--rm and --detach/);
  });
});
