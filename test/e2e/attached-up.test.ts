// Attached `up` as scripts use it (issue 20, items 5, 6, 8, 9): when it returns, what it stops, which exit
// code it gives, and that it shows every run of a container that restarts. The behaviour is docker compose
// v2.26's on the same files (its test dockerd was used to check each case).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CMP_BIN, cleanupAfterEach, cmp, pollUntil, projectDir, psJson } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();

const HOST = `x-cmp: {host_rootfs: true}`;

interface PsRow {
  Service: string;
  State: string;
  ExitCode: number;
}

function inProject(dir: string, name: string) {
  return (args: string[], timeoutMs?: number) =>
    cmp(['-p', name, ...args], { cwd: dir, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}

async function states(dir: string, name: string): Promise<Record<string, string>> {
  const rows = await psJson<PsRow>(dir, name);
  return Object.fromEntries(rows.map((r) => [r.Service, r.State]));
}

describe('when attached up returns', () => {
  it('returns once the named service exits under --attach-dependencies, leaving its dependency running', async () => {
    const { dir, name } = projectDir(`
services:
  db:
    ${HOST}
    command: ['sh', '-c', 'echo db-up; exec sleep 1000']
    init: true
  app:
    ${HOST}
    command: ['sh', '-c', 'sleep 1; echo app-done']
    depends_on: [db]
`);
    downAfter(dir, name);
    // Without the fix this never returns: the timeout kills it.
    const up = await inProject(dir, name)(['up', '--attach-dependencies', 'app'], 40_000);
    expect(up.stdout).toContain('Attaching to app-1, db-1');
    expect(up.stdout).toMatch(/^app-1 +\| app-done$/m);
    expect(up.stdout).toContain('app-1 exited with code 0');
    expect(up.code).toBe(0);
    expect(await states(dir, name)).toEqual({ app: 'exited', db: 'running' });
  });

  it('shows every run of a container that restarts at once, and returns after the last', async () => {
    const { dir, name } = projectDir(`
services:
  flaky:
    ${HOST}
    command: ['sh', '-c', 'echo run; exit 3']
    restart: on-failure:2
`);
    downAfter(dir, name);
    const up = await inProject(dir, name)(['up'], 40_000);
    expect(up.stdout.match(/^flaky-1 +\| run$/gm)).toHaveLength(3);
    expect(up.stdout.match(/^flaky-1 exited with code 3$/gm)).toHaveLength(3);
    expect(up.code).toBe(0);
  });
});

describe('--abort-on-container-exit', () => {
  it('takes the first exit code, and starts nothing once the abort has begun', async () => {
    // `first` exits while `up` still waits for `slow` to be healthy (its first probe is 4 s in); `second`
    // exits with 111 moments after `first`. compose: exit 0, and `late` is never started.
    const { dir, name } = projectDir(`
services:
  first:
    ${HOST}
    command: ['sh', '-c', 'sleep 1; exit 0']
  second:
    ${HOST}
    command: ['sh', '-c', 'sleep 1.2; exit 111']
  slow:
    ${HOST}
    command: ['sleep', '1000']
    init: true
    healthcheck:
      test: ['CMD', 'true']
      interval: 4s
  late:
    ${HOST}
    command: ['sh', '-c', 'echo late-started']
    depends_on:
      slow: {condition: service_healthy}
`);
    downAfter(dir, name);
    const up = await inProject(dir, name)(['up', '--abort-on-container-exit', '-t', '1'], 60_000);
    expect(up.stderr).toContain('Aborting on container exit...');
    expect(up.stdout).toContain('first-1 exited with code 0');
    expect(up.stdout).not.toContain('late-started');
    expect(up.stderr).not.toMatch(/late-1 +Start/);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    const rows = await psJson<PsRow>(dir, name);
    expect(rows.find((r) => r.Service === 'late')?.State).toBe('created');
  });

  it('gives the first exit code over many runs of services ending close together', async () => {
    const { dir, name } = projectDir(`
services:
  zero:
    ${HOST}
    command: ['sh', '-c', 'sleep 0.5; exit 0']
  later:
    ${HOST}
    command: ['sh', '-c', 'sleep 0.7; exit 111']
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    for (let i = 0; i < 4; i++) {
      const up = await c(['up', '--abort-on-container-exit', '-t', '1'], 60_000);
      expect(up.code, `run ${i}:\n${up.stdout}\n${up.stderr}`).toBe(0);
    }
  });
});

describe('Ctrl-C on attached up SERVICE', () => {
  it('stops only the service it attached to, not its dependencies', async () => {
    const { dir, name } = projectDir(`
services:
  db:
    ${HOST}
    command: ['sleep', '1000']
    init: true
  app:
    ${HOST}
    command: ['sh', '-c', 'echo app-up; exec sleep 1000']
    init: true
    depends_on: [db]
`);
    downAfter(dir, name);
    const session = `cmp-attach-${randomBytes(3).toString('hex')}`;
    const tmux = (...args: string[]) => spawnSync('tmux', args);
    expect(
      tmux(
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        '160',
        '-y',
        '40',
        `cd ${dir} && env -u CI -u CONTINUOUS_INTEGRATION bash --norc`,
      ).status,
    ).toBe(0);
    later(async () => tmux('kill-session', '-t', session));
    const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session).stdout.toString();
    tmux('send-keys', '-t', session, `node ${CMP_BIN} -p ${name} up -t 2 app; echo "exit:$?"`, 'Enter');
    await pollUntil('the app log line', async () => /app-1 +\| app-up/.test(screen()));
    tmux('send-keys', '-t', session, 'C-c');
    await pollUntil('up to end', async () => /exit:\d+/.test(screen()), 30_000);
    expect(screen()).toMatch(/exit:130/);
    expect(await states(dir, name)).toEqual({ app: 'exited', db: 'running' });
  });
});
