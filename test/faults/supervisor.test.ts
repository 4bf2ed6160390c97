// Faults against a project's supervisor: a user who stops or removes a container while the supervisor
// waits to restart it (x-cmp.restart_unhealthy). The user wins, and the supervisor (DNS, ports and
// restart policies of the whole project) keeps running.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../src/util/process.js';
import { projectRunDir } from '../../src/util/paths.js';
import { cleanupAfterEach, cmp, cmpSpawn, pollUntil, projectDir, psJson } from '../e2e/helpers.js';

const { downAfter } = cleanupAfterEach();

const STACK = `
services:
  sick:
    x-cmp:
      host_rootfs: true
      restart_unhealthy: { max_restarts: 20 }
    command: sleep 1000
    init: true
    healthcheck: { test: ['CMD', 'false'], interval: 100ms, retries: 1 }
  keep:
    x-cmp: { host_rootfs: true }
    command: sleep 1000
    init: true
`;

interface PsRow {
  Service: string;
  State: string;
}

const log = (project: string): string => {
  try {
    return readFileSync(join(projectRunDir(project), 'supervisor.log'), 'utf8');
  } catch {
    return '';
  }
};
const supervisorPid = (project: string): number =>
  Number(readFileSync(join(projectRunDir(project), 'supervisor.pid'), 'utf8'));

/** Waits until the supervisor has scheduled an unhealthy restart at least `minMs` away. */
async function restartScheduled(project: string, minMs: number): Promise<void> {
  await pollUntil(
    `an unhealthy restart ${minMs} ms or more away`,
    () =>
      Promise.resolve(
        [...log(project).matchAll(/sick-1 is unhealthy: restart \d+ in (\d+) ms/g)].some(
          (m) => Number(m[1]) >= minMs,
        ),
      ),
    30_000,
    20,
  );
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a user acting while the supervisor waits to restart an unhealthy container', () => {
  it('keeps a container the user stopped stopped', async () => {
    const { dir, name } = projectDir(STACK);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    await restartScheduled(name, 800);
    expect((await cmp(['-p', name, 'stop', '-t', '1', 'sick'], { cwd: dir })).code).toBe(0);
    await settle(2500); // longer than the restart the supervisor had scheduled
    const rows = await psJson<PsRow>(dir, name);
    expect(rows.find((r) => r.Service === 'sick')?.State).toBe('exited');
    expect(processAlive(supervisorPid(name))).toBe(true);
  }, 90_000);

  it('goes on supervising the project when the user removes the container', async () => {
    const { dir, name } = projectDir(STACK);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    const pid = await pollUntil('the supervisor', () => Promise.resolve(supervisorPid(name) || undefined));
    await restartScheduled(name, 800);
    expect((await cmp(['-p', name, 'rm', '-s', '-f', 'sick'], { cwd: dir })).code).toBe(0);
    await settle(2500);
    expect(processAlive(pid)).toBe(true);
    expect(log(name)).not.toMatch(/fatal|unhandled/);
    expect((await psJson<PsRow>(dir, name)).map((r) => r.Service)).toEqual(['keep']);
  }, 90_000);
});

describe('the supervisor killed while a command waits on it', () => {
  it('does not leave up -d waiting forever on a service_healthy dependency', async () => {
    const { dir, name } = projectDir(`
services:
  db:
    x-cmp: { host_rootfs: true }
    init: true
    command: sh -c "sleep 4; touch /tmp/ready; sleep 1000"
    healthcheck: { test: ['CMD', 'test', '-f', '/tmp/ready'], interval: 200ms, retries: 100 }
  web:
    x-cmp: { host_rootfs: true }
    init: true
    command: sleep 1000
    depends_on: { db: { condition: service_healthy } }
`);
    downAfter(dir, name);
    const up = cmpSpawn(['-p', name, 'up', '-d'], { cwd: dir });
    let err = '';
    up.stderr.on('data', (d: Buffer) => (err += d.toString()));
    up.stdout.resume();
    const ended = new Promise<number | null>((r) => up.once('exit', (c) => r(c)));
    // While up waits for db to turn healthy, its supervisor (the healthchecks' runner) is killed.
    const pid = await pollUntil('db running under a supervisor', async () => {
      const rows = await psJson<PsRow>(dir, name).catch(() => []);
      return rows.some((r) => r.Service === 'db' && r.State === 'running')
        ? supervisorPid(name) || undefined
        : undefined;
    });
    process.kill(pid, 'SIGKILL');
    const code = await Promise.race([ended, settle(60_000).then(() => 'still waiting')]);
    if (code === 'still waiting') up.kill('SIGKILL');
    expect(code, err).toBe(0);
    expect(processAlive(supervisorPid(name))).toBe(true);
  }, 120_000);
});
