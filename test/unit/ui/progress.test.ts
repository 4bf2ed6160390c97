import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/ui/progress.js';
import { concreteMode, progressModeFrom } from '../../../src/ui/progress-mode.js';
import { UsageError } from '../../../src/util/errors.js';
import { upScript } from './script.js';

function capture(isTTY: boolean): { stream: { write(t: string): void; isTTY: boolean }; text: () => string } {
  let out = '';
  return { stream: { write: (t: string) => void (out += t), isTTY }, text: () => out };
}

async function play(mode: 'plain' | 'json' | 'quiet', isTTY: boolean, env: Record<string, string> = {}) {
  const err = capture(isTTY);
  const out = capture(isTTY);
  const progress = createProgress(mode, { stdout: out.stream, stderr: err.stream, env });
  for (const e of upScript.events) progress.onEvent(e);
  await progress.done();
  return { stderr: err.text(), stdout: out.text() };
}

describe('plain progress', () => {
  it('prints one compose-style line per state change, without elapsed times, on stderr', async () => {
    const { stderr, stdout } = await play('plain', false);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        ' Network demo_default  Creating',
        ' Volume demo_data  Creating',
        ' Image docker.io/library/redis:7  Pulling',
        ' Volume demo_data  Created',
        ' Network demo_default  Created',
        ' Image docker.io/library/redis:7  Pulled',
        ' Container demo-db-1  Creating',
        ' Container demo-web-1  Creating',
        ' Container demo-migrate-1  Creating',
        ' Container demo-db-1  Created',
        ' Container demo-db-1  Starting',
        ' Container demo-web-1  Created',
        ' Container demo-migrate-1  Created',
        ' Container demo-web-1  Waiting for db (service_healthy)',
        ' Container demo-migrate-1  Waiting for db (service_started)',
        ' Image docker.io/library/nginx:1  Pulling',
        ' Container demo-db-1  Started',
        ' Container demo-migrate-1  Starting',
        ' Container demo-migrate-1  Started',
        ' Image docker.io/library/nginx:1  Pulled',
        ' Container demo-migrate-1  Exited',
        ' Container demo-db-1  Healthy',
        ' Container demo-web-1  Starting',
        ' Container demo-web-1  Started',
        '',
      ].join('\n'),
    );
  });

  it('colours states on a terminal and never when NO_COLOR is set or output is piped', async () => {
    const tty = await play('plain', true);
    expect(tty.stderr).toContain(' Container demo-web-1  \u001b[32mStarted\u001b[39m\n');
    expect((await play('plain', true, { NO_COLOR: '1' })).stderr).not.toContain('\u001b');
    expect((await play('plain', false)).stderr).not.toContain('\u001b');
  });

  it('shows the detail of an error', async () => {
    const err = capture(false);
    const p = createProgress('plain', { stdout: err.stream, stderr: err.stream, env: {} });
    p.onEvent({ time: 0, kind: 'container', name: 'p-web-1', action: 'start', status: 'Starting' });
    p.onEvent({
      time: 250,
      kind: 'container',
      name: 'p-web-1',
      action: 'error',
      status: 'Error',
      detail: 'no such file',
    });
    await p.done();
    expect(err.text()).toBe(' Container p-web-1  Starting\n Container p-web-1  Error no such file\n');
  });
});

describe('json progress', () => {
  it('writes each event as one JSON object per line', async () => {
    const { stderr } = await play('json', false);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(upScript.events.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(upScript.events);
  });
});

describe('quiet progress', () => {
  it('prints nothing', async () => {
    expect(await play('quiet', true)).toEqual({ stderr: '', stdout: '' });
  });
});

describe('progress mode', () => {
  it.each<[string | undefined, Record<string, string>, string]>([
    [undefined, {}, 'auto'],
    ['json', { CMP_PROGRESS: 'plain' }, 'json'],
    [undefined, { CMP_PROGRESS: 'quiet', COMPOSE_PROGRESS: 'plain' }, 'quiet'],
    [undefined, { COMPOSE_PROGRESS: 'TTY' }, 'tty'],
  ])('flag %s, env %j -> %s', (flag, env, mode) => {
    expect(progressModeFrom(flag, env)).toBe(mode);
  });

  it('rejects an unknown mode, naming where it came from', () => {
    expect(() => progressModeFrom('fancy', {})).toThrow(UsageError);
    expect(() => progressModeFrom(undefined, { COMPOSE_PROGRESS: 'x' })).toThrow(/COMPOSE_PROGRESS/);
  });

  it.each<[boolean, Record<string, string>, string]>([
    [true, {}, 'tty'],
    [true, { CI: 'true' }, 'plain'],
    [true, { CI: 'false' }, 'tty'],
    [false, {}, 'plain'],
  ])('auto on a terminal: %s, env %j -> %s', (isTTY, env, mode) => {
    expect(concreteMode('auto', { write: () => true, isTTY }, env)).toBe(mode);
  });
});
