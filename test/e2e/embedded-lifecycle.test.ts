// The embedded runtime end to end, through the `cmp` binary: what a user sees after `cmp up -d`.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAfterEach, cmp, exampleCopy, httpGet, pollUntil, projectDir, psJson } from './helpers.js';
import { projectRunDir } from '../../src/util/paths.js';

interface PsRow {
  Name: string;
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
  Status: string;
}

function ps(dir: string, project: string): Promise<PsRow[]> {
  return psJson<PsRow>(dir, project);
}

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
`;

const { downAfter } = cleanupAfterEach();

describe('cmp up -d on the embedded runtime', () => {
  it('brings the quickstart up: every service running or healthy, web answers through api and store by name', async () => {
    const dir = exampleCopy('quickstart');
    downAfter(dir, 'quickstart');
    const up = await cmp(['up', '-d', '--wait'], { cwd: dir });
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const rows = await ps(dir, 'quickstart');
    expect(rows.map((r) => r.Service).sort()).toEqual(['api', 'cache', 'store', 'web']);
    for (const r of rows) expect(r.State).toBe('running');
    expect(rows.find((r) => r.Service === 'store')?.Health).toBe('healthy');
    const page = await pollUntil('web to serve the greeting', async () => {
      const text = await httpGet('http://127.0.0.1:8080/');
      return text.includes('hello from the store') ? text : undefined;
    });
    expect(page).toContain('hello from the store');
    const down = await cmp(['down', '-v', '-t', '1'], { cwd: dir });
    expect(down.code).toBe(0);
    expect(await ps(dir, 'quickstart')).toEqual([]);
  });

  it('keeps a named volume across down and up, and loses it with down -v', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  keeper:
    <<: *host
    command: ['sh', '-c', 'date +%s%N >> /data/runs; exec sleep 1000']
    volumes: [data:/data]
    init: true
volumes:
  data: {}
`);
    downAfter(dir, name);
    const runs = async (): Promise<number> => {
      const r = await cmp(['-p', name, 'exec', '-T', 'keeper', 'sh', '-c', 'wc -l < /data/runs'], {
        cwd: dir,
      });
      expect(r.code).toBe(0);
      return Number(r.stdout.trim());
    };
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    expect(await runs()).toBe(1);
    expect((await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir })).code).toBe(0);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    expect(await runs()).toBe(2);
    expect((await cmp(['-p', name, 'down', '-v', '-t', '1'], { cwd: dir })).code).toBe(0);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    expect(await runs()).toBe(1);
  });

  it('gives up on a crash-looping on-failure:3 service after 3 restarts, spaced by the backoff', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  crash:
    <<: *host
    command: ['sh', '-c', 'echo started; exit 3']
    restart: on-failure:3
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    const row = await pollUntil(
      'the crash loop to end',
      async () => {
        const [r] = await ps(dir, name);
        return r && r.State === 'exited' && /restarts: 3\)/.test(r.Status) ? r : undefined;
      },
      30_000,
    );
    expect(row.ExitCode).toBe(3);
    const logs = await cmp(['-p', name, 'logs', '--no-log-prefix', 'crash'], { cwd: dir });
    expect(logs.stdout.split('\n').filter((l) => l === 'started')).toHaveLength(4);
    // Nothing more happens once the policy gave up.
    await new Promise((r) => setTimeout(r, 1500));
    const again = await cmp(['-p', name, 'logs', '--no-log-prefix', 'crash'], { cwd: dir });
    expect(again.stdout.split('\n').filter((l) => l === 'started')).toHaveLength(4);
  });

  it('restarts an always service after its process is killed, but never undoes a manual stop', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  forever:
    <<: *host
    command: ['sleep', '1000']
    restart: always
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    const kill = await cmp(['-p', name, 'kill', '-s', 'KILL', 'forever'], { cwd: dir });
    expect(kill.code).toBe(0);
    // cmp kill is a user action: the policy leaves it down.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await ps(dir, name))[0]?.State).toBe('exited');
    expect((await cmp(['-p', name, 'start', 'forever'], { cwd: dir })).code).toBe(0);
    // A crash (the container's process killed from outside cmp) is restarted.
    const top = await cmp(['-p', name, 'top', 'forever'], { cwd: dir });
    const pid = Number(/^\S+\s+(\d+)\s.*sleep 1000$/m.exec(top.stdout)?.[1]);
    expect(pid).toBeGreaterThan(1);
    process.kill(pid, 'SIGKILL');
    await pollUntil('forever to run again', async () => {
      const [r] = await ps(dir, name);
      return r?.State === 'running' && /restarts: 1\)/.test(r.Status);
    });
    expect((await cmp(['-p', name, 'stop', '-t', '1'], { cwd: dir })).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await ps(dir, name))[0]?.State).toBe('exited');
  });

  it('returns the exit code of exec and run', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  box:
    <<: *host
    command: ['sleep', '1000']
    init: true
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    const ex = await cmp(['-p', name, 'exec', '-T', 'box', 'sh', '-c', 'hostname; exit 7'], { cwd: dir });
    expect(ex.code).toBe(7);
    const run = await cmp(['-p', name, 'run', '--rm', '-T', 'box', 'sh', '-c', 'exit 5'], { cwd: dir });
    expect(run.code).toBe(5);
  });

  it('survives a killed supervisor: ps and down still work, and nothing is duplicated or left behind', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  a:
    <<: *host
    command: ['sleep', '1000']
    init: true
  b:
    <<: *host
    command: ['sleep', '1000']
    init: true
    depends_on: [a]
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    const pid = Number(readFileSync(join(projectRunDir(name), 'supervisor.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const rows = await ps(dir, name);
    expect(rows.map((r) => `${r.Service}:${r.State}`).sort()).toEqual(['a:running', 'b:running']);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    expect((await ps(dir, name)).length).toBe(2);
    expect((await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir })).code).toBe(0);
  });

  it('ends two concurrent up -d of one project with one set of containers', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  one:
    <<: *host
    command: ['sleep', '1000']
    init: true
`);
    downAfter(dir, name);
    const [x, y] = await Promise.all([
      cmp(['-p', name, 'up', '-d'], { cwd: dir }),
      cmp(['-p', name, 'up', '-d'], { cwd: dir }),
    ]);
    expect([x.code, y.code]).toEqual([0, 0]);
    const rows = await ps(dir, name);
    expect(rows.map((r) => r.Name)).toEqual([`${name}-one-1`]);
  });
});
