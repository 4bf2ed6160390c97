// Plain (non-TTY) output, which scripts grep, line for line as `docker compose` v2.26 prints it (issue 20,
// item 21): the same file and the same commands through both tools, compose on the test dockerd.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_SOCKET } from '../setup/dockerd.js';
import { busyboxOnBothRuntimes, cleanupAfterEach, cmp, projectDir } from './helpers.js';

const IMAGE = 'cmp-test/busybox:latest';
const { later } = cleanupAfterEach();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function compose(dir: string, args: string[]): Run {
  const r = spawnSync('docker', ['compose', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DOCKER_HOST: `unix://${DOCKER_SOCKET}` },
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Lines without colours (and compose's erase-line before each log line), the project name as P, sorted. */
function lines(text: string, project: string): string[] {
  return stripVTControlCharacters(text)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(project).join('P'))
    .sort();
}

/** The same commands through `docker compose` and `cmp`, each in a project of its own. */
function bothTools(yaml: string) {
  const { dir } = projectDir(yaml);
  const names = {
    compose: `pc${randomBytes(3).toString('hex')}`,
    cmp: `pm${randomBytes(3).toString('hex')}`,
  };
  later(async () => compose(dir, ['-p', names.compose, 'down', '-t', '1']));
  later(() => cmp(['-p', names.cmp, 'down', '-t', '1'], { cwd: dir }));
  return async (args: string[], stream: 'stdout' | 'stderr' = 'stderr') => {
    const theirs = compose(dir, ['-p', names.compose, ...args]);
    const ours = await cmp(['-p', names.cmp, ...args], { cwd: dir });
    expect(ours.code, `${args.join(' ')}:\ncmp: ${ours.stderr}\ncompose: ${theirs.stderr}`).toBe(theirs.code);
    return { compose: lines(theirs[stream], names.compose), cmp: lines(ours[stream], names.cmp) };
  };
}

beforeAll(async () => {
  const v = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith('2.26'))
    throw new Error(
      `these tests compare with docker compose v2.26, which is missing (scripts/setup-host.sh installs it): ${v.stderr || v.stdout}`,
    );
  await busyboxOnBothRuntimes(IMAGE);
}, 120_000);

describe('plain progress lines', () => {
  it('up, a dependency Waiting and Healthy, restart, a no-op stop, start and down print what compose prints', async () => {
    const run = bothTools(`
services:
  db:
    image: ${IMAGE}
    command: ['sleep', '1000']
    init: true
    healthcheck:
      test: ['CMD', 'true']
      interval: 1s
  web:
    image: ${IMAGE}
    command: ['sleep', '1000']
    init: true
    depends_on:
      db: {condition: service_healthy}
`);
    const same = async (args: string[]) => {
      const { compose: theirs, cmp: ours } = await run(args);
      expect(ours, `cmp ${args.join(' ')}`).toEqual(theirs);
      return ours;
    };
    const up = await same(['up', '-d']);
    expect(up).toContain(' Container P-db-1  Healthy');
    expect(up).toContain(' Container P-web-1  Started');
    await same(['up', '-d']);
    expect(await same(['restart', 'web'])).toEqual([
      ' Container P-web-1  Restarting',
      ' Container P-web-1  Started',
    ]);
    await same(['stop']);
    expect(await same(['stop'])).toContain(' Container P-web-1  Stopped');
    await same(['start']);
    // cmp's restart waits for db to be healthy again before it starts web (compose does not): its lines
    // are compose's and that wait's.
    const restart = await run(['restart']);
    expect(restart.cmp).toEqual(expect.arrayContaining(restart.compose));
    expect(restart.cmp.filter((l) => !restart.compose.includes(l))).toEqual([
      ' Container P-db-1  Healthy',
      ' Container P-db-1  Waiting',
    ]);
    await same(['down', '-t', '1']);
  }, 240_000);
});

describe('attached logs', () => {
  it('pads the prefix to one more than the longest name, as compose does', async () => {
    const run = bothTools(`
services:
  foo:
    image: ${IMAGE}
    command: ['sh', '-c', 'echo hi-foo; sleep 1; echo bye']
    depends_on: [longername]
  longername:
    image: ${IMAGE}
    command: ['sh', '-c', 'echo hi-long; sleep 2']
`);
    const all = await run(['up'], 'stdout');
    expect(all.cmp).toEqual(all.compose);
    expect(all.cmp).toContain('foo-1         | hi-foo');
    const one = await run(['up', 'foo'], 'stdout');
    expect(one.cmp).toEqual(one.compose);
    expect(one.cmp).toContain('foo-1  | bye');
  }, 120_000);
});
