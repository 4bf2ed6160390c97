// One-off (`cmp run`) containers and orphans through the `cmp` binary: `down` takes one-offs with it so
// the network can go, a `down` that leaves something behind fails saying what, `up --remove-orphans`,
// COMPOSE_REMOVE_ORPHANS, `rm -f -s` and run's orphan warning behave as compose's do.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAfterEach, cmp, projectDir, psJson } from './helpers.js';

const { downAfter } = cleanupAfterEach();

const service = (name: string): string => `
  ${name}:
    x-cmp: {host_rootfs: true}
    init: true
    command: sleep 1000`;

interface Row {
  Name: string;
  State: string;
}

async function states(dir: string, project: string): Promise<string[]> {
  return (await psJson<Row>(dir, project))
    .map((r) => `${r.Name.replace(`${project}-`, '')} ${r.State}`)
    .sort();
}

describe('one-off containers and orphans', () => {
  it('down removes running and exited one-offs, then the network, and exits 0', async () => {
    const { dir, name } = projectDir(`services:${service('web')}\n`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    const running = await cmp(['-p', name, 'run', '-d', 'web', 'sleep', '1000'], { cwd: dir });
    expect(running.code, running.stderr).toBe(0);
    expect((await cmp(['-p', name, 'run', '-T', 'web', 'true'], { cwd: dir })).code).toBe(0);
    expect(await states(dir, name)).toHaveLength(3);

    const down = await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(`Container ${running.stdout.trim()}  Removed`);
    expect(down.stderr).toContain(`Network ${name}_default  Removed`);
    expect(down.stderr).not.toContain('still in use');
    expect(await states(dir, name)).toEqual([]);
  });

  it('a down that leaves the network behind fails and says why; COMPOSE_REMOVE_ORPHANS in .env removes the orphans', async () => {
    const { dir, name } = projectDir(`services:${service('web')}${service('old')}\n`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'compose.yaml'), `services:${service('web')}\n`);

    const run = await cmp(['-p', name, 'run', '--rm', '-T', 'web', 'true'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Found orphan containers ([${name}-old-1]) for this project.`);

    const kept = await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir });
    expect(kept.code).not.toBe(0);
    expect(kept.stderr).toContain(`down left a resource behind: network ${name}_default`);
    expect(kept.stderr).toContain(`orphan containers (${name}-old-1) still use it: add --remove-orphans`);
    expect(await states(dir, name)).toEqual(['old-1 running']);

    writeFileSync(join(dir, '.env'), 'COMPOSE_REMOVE_ORPHANS=true\n');
    const down = await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir });
    expect(down.code, down.stderr).toBe(0);
    expect(await states(dir, name)).toEqual([]);
  });

  it('up --remove-orphans (or COMPOSE_REMOVE_ORPHANS) takes orphans and ended one-offs, not a running one-off; rm -f -s stops and removes one-offs', async () => {
    const { dir, name } = projectDir(`services:${service('web')}${service('old')}\n`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    const job = (await cmp(['-p', name, 'run', '-d', 'web', 'sleep', '1000'], { cwd: dir })).stdout.trim();
    expect((await cmp(['-p', name, 'run', '-T', 'web', 'true'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'compose.yaml'), `services:${service('web')}\n`);

    const up = await cmp(['-p', name, 'up', '-d'], {
      cwd: dir,
      env: { COMPOSE_REMOVE_ORPHANS: 'true' },
    });
    expect(up.code, up.stderr).toBe(0);
    expect(await states(dir, name)).toEqual(
      [`${job.replace(`${name}-`, '')} running`, 'web-1 running'].sort(),
    );

    const rm = await cmp(['-p', name, 'rm', '-f', '-s'], { cwd: dir });
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stderr).toContain(`Container ${job}  Stopped`);
    expect(await states(dir, name)).toEqual([]);
  });
});
