// Reboot return: after a simulated host reboot, a command that only looks (`ps`) starts nothing, and
// the boot entry point `cmp system boot` (what the hook `cmp system enable-boot` installs runs) brings
// back every project's restart always / unless-stopped containers, dependencies first, and nothing else.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bridgeName } from '../../src/runtime/embedded/net/names.js';
import { projectRunDir } from '../../src/util/paths.js';
import { simulateReboot } from '../setup/reboot.js';
import { IMAGE, SLEEP, leftovers, loadImage, oneRunningEach, ps } from './private-root.js';
import { cleanupAfterEach, cmp, pollUntil, projectDir } from '../e2e/helpers.js';

const { downAfter } = cleanupAfterEach();

beforeAll(loadImage, 60_000);

const supervisorLog = (project: string): string => {
  try {
    return readFileSync(join(projectRunDir(project), 'supervisor.log'), 'utf8');
  } catch {
    return '';
  }
};

describe('cmp system boot after a host reboot', () => {
  it('ps starts nothing; system boot brings back always and unless-stopped, in dependency order', async () => {
    const app = projectDir(`
services:
  db:
    image: ${IMAGE}
    command: ${SLEEP}
    restart: always
  web:
    image: ${IMAGE}
    command: ${SLEEP}
    restart: unless-stopped
    depends_on: [db]
  job:
    image: ${IMAGE}
    command: ${SLEEP}
`);
    const plain = projectDir(`
services:
  one:
    image: ${IMAGE}
    command: ${SLEEP}
`);
    downAfter(app.dir, app.name);
    downAfter(plain.dir, plain.name);
    for (const p of [app, plain])
      expect((await cmp(['-p', p.name, 'up', '-d'], { cwd: p.dir })).code).toBe(0);
    const appIds = (await ps(app.dir, app.name)).map((r) => r.ID);
    const plainIds = (await ps(plain.dir, plain.name)).map((r) => r.ID);

    simulateReboot(app.name, appIds, bridgeName(`${app.name}_default`));
    simulateReboot(plain.name, plainIds, bridgeName(`${plain.name}_default`));

    // A command that only looks revives the supervisor, which starts nothing: its boot is over once it
    // says it supervises the project, and nothing runs.
    expect((await cmp(['-p', app.name, 'ps', '-a'], { cwd: app.dir })).code).toBe(0);
    await pollUntil('the revived supervisor to finish its boot', () =>
      Promise.resolve(supervisorLog(app.name).includes('supervising project')),
    );
    expect(oneRunningEach(await ps(app.dir, app.name))).toEqual(['db:exited', 'job:exited', 'web:exited']);

    const boot = await cmp(['system', 'boot'], { cwd: tmpdir() });
    expect(boot.stderr).toBe('');
    expect(boot.code).toBe(0);
    expect(boot.stdout).toBe(`project ${app.name}: started\n`);
    expect(oneRunningEach(await ps(app.dir, app.name))).toEqual(['db:running', 'job:exited', 'web:running']);
    expect(oneRunningEach(await ps(plain.dir, plain.name))).toEqual(['one:exited']);
    const log = supervisorLog(app.name);
    expect(log.indexOf(`starting ${app.name}-db-1`)).toBeGreaterThan(-1);
    expect(log.indexOf(`starting ${app.name}-db-1`)).toBeLessThan(log.indexOf(`starting ${app.name}-web-1`));
    const lookup = await cmp(['-p', app.name, 'exec', '-T', 'web', 'ping', '-c', '1', '-W', '2', 'db'], {
      cwd: app.dir,
    });
    expect(lookup.code).toBe(0);

    for (const p of [app, plain])
      expect((await cmp(['-p', p.name, 'down', '-v', '-t', '1'], { cwd: p.dir })).code).toBe(0);
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it('enable-boot installs the boot hook that runs `cmp system boot`, disable-boot removes it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cmp-boot-root-'));
    try {
      const on = await cmp(['system', 'enable-boot', '--root', root], { cwd: root });
      expect(on.code).toBe(0);
      // This host has no systemd as its init: the hook is an @reboot cron entry.
      const systemd = existsSync('/run/systemd/system');
      const hook = systemd
        ? join(root, 'etc/systemd/system/cmp-boot.service')
        : join(root, 'etc/cron.d/cmp-boot');
      expect(on.stdout).toContain(hook);
      const text = readFileSync(hook, 'utf8');
      expect(text).toMatch(/dist\/bin\/cmp\.js system boot/);
      expect(text).toContain(`CMP_STATE_ROOT=${process.env.CMP_STATE_ROOT ?? ''}`);
      if (!systemd) expect(text).toMatch(/^@reboot root /m);
      const off = await cmp(['system', 'disable-boot', '--root', root], { cwd: root });
      expect(off.code).toBe(0);
      expect(existsSync(hook)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
