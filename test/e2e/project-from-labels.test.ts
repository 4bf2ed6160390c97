// Projects found by their containers' labels, through the `cmp` binary: `cmp ls` lists every project from
// anywhere, and `-p NAME` works on a project whose folder is gone, as `docker compose` does.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';

const { later } = cleanupAfterEach();

const SERVICES = (image: string): string => `
services:
  db:
    ${image}
    init: true
    command: sh -c "echo db-says-hi; exec sleep 1000"
  web:
    ${image}
    init: true
    depends_on: [db]
    command: sh -c "echo web-says-hi; exec sleep 1000"
`;
const HOST_ROOTFS = `x-cmp: {host_rootfs: true}`;

interface LsRow {
  Name: string;
  Status: string;
  ConfigFiles: string;
}

/** A folder with no compose file in it or above it, where the commands run from. */
function elsewhere(): string {
  return mkdtempSync(join(tmpdir(), 'cmp-e2e-nofile-'));
}

describe('projects from labels', () => {
  it('cmp ls lists every project from another folder; -p NAME ps, logs, stop, start, down work once the folder is gone', async () => {
    const a = projectDir(SERVICES(HOST_ROOTFS));
    const b = projectDir(SERVICES(HOST_ROOTFS));
    const away = elsewhere();
    for (const p of [a, b]) later(() => cmp(['-p', p.name, 'down', '-t', '1'], { cwd: away }));
    for (const p of [a, b]) expect((await cmp(['-p', p.name, 'up', '-d'], { cwd: p.dir })).code).toBe(0);
    expect((await cmp(['-p', b.name, 'stop', '-t', '1', 'web'], { cwd: b.dir })).code).toBe(0);

    const ls = await cmp(['ls', '--format', 'json', '--filter', `name=^(${a.name}|${b.name})$`], {
      cwd: away,
    });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stderr).not.toMatch(/cannot list/);
    expect(JSON.parse(ls.stdout) as LsRow[]).toEqual(
      [
        { Name: a.name, Status: 'running(2)', ConfigFiles: join(a.dir, 'compose.yaml') },
        { Name: b.name, Status: 'running(1)', ConfigFiles: join(b.dir, 'compose.yaml') },
      ].sort((x, y) => (x.Name < y.Name ? -1 : 1)),
    );
    const all = await cmp(['ls', '-a', '--filter', `name=${b.name}`], { cwd: away });
    expect(all.stdout).toMatch(new RegExp(`^${b.name}\\s+exited\\(1\\), running\\(1\\)\\s+${b.dir}`, 'm'));
    const quiet = await cmp(['ls', '-q'], { cwd: away });
    expect(quiet.stdout.split('\n')).toEqual(expect.arrayContaining([a.name, b.name]));

    rmSync(a.dir, { recursive: true, force: true });
    const ps = await cmp(['-p', a.name, 'ps', '--format', 'json'], { cwd: away });
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toContain(`"Name":"${a.name}-web-1"`);
    const logs = await cmp(['-p', a.name, 'logs', '--no-log-prefix', 'db'], { cwd: away });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toBe('db-says-hi\n');
    const stop = await cmp(['-p', a.name, 'stop', '-t', '1'], { cwd: away });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(new RegExp(`Container ${a.name}-web-1\\s+Stopped`));
    const start = await cmp(['-p', a.name, 'start'], { cwd: away });
    expect(start.code, start.stderr).toBe(0);
    const down = await cmp(['-p', a.name, 'down', '-t', '1'], { cwd: away });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(`Network ${a.name}_default  Removed`);
    const after = await cmp(['-p', a.name, 'ps', '-a', '-q'], { cwd: away });
    expect(after.stdout).toBe('');

    // Without -p there is still nothing to go on: the loader's error stands.
    const none = await cmp(['ps'], { cwd: away });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('no configuration file provided');
  });

  it('works the same on the docker runtime', async () => {
    await ensureDockerd();
    await ensureBusyboxImage();
    const p = projectDir(SERVICES(`image: ${BUSYBOX_IMAGE}`));
    const away = elsewhere();
    const docker = (args: string[]): ReturnType<typeof cmp> =>
      cmp(['--runtime', 'docker', '-p', p.name, ...args], { cwd: away });
    later(() => docker(['down', '-t', '1']));
    expect((await cmp(['--runtime', 'docker', '-p', p.name, 'up', '-d'], { cwd: p.dir })).code).toBe(0);
    rmSync(p.dir, { recursive: true, force: true });
    const ls = await cmp(['--runtime', 'docker', 'ls', '-q', '--filter', `name=${p.name}`], { cwd: away });
    expect(ls.stdout).toBe(`${p.name}\n`);
    const ps = await docker(['ps', '-q']);
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout.trim().split('\n')).toHaveLength(2);
    const logs = await docker(['logs', '--no-log-prefix', 'web']);
    expect(logs.stdout).toContain('web-says-hi');
    const down = await docker(['down', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect((await docker(['ps', '-a', '-q'])).stdout).toBe('');
  });
});
