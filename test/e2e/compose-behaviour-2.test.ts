// More behaviour scripts depend on (issue 20), each checked against what `docker compose` v2.26 does
// with the same files: which .env is read, env sources of included projects, `logs -f`, legacy links,
// `network_mode: bridge` and network config changes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, cmpSpawn, pollUntil, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();

const name = (): string => `e2e${randomBytes(3).toString('hex')}`;

/** A service body on the host's root filesystem that sleeps. */
const SLEEPER = `    x-cmp: {host_rootfs: true}\n    command: ['sleep', '1000']\n    init: true\n`;

describe('which .env is read', () => {
  it("a folder's .env that names the compose file elsewhere is read, and wins over that folder's .env", async () => {
    const root = mkdtempSync(join(tmpdir(), 'cmp-e2e-'));
    const nested = join(root, 'nested');
    mkdirSync(nested);
    writeFileSync(
      join(root, 'app.yaml'),
      `services:\n  s:\n    image: busybox\n    command: ['echo', '\${X:-unset}', '\${Y:-unset}', '\${Z:-unset}']\n`,
    );
    writeFileSync(join(root, '.env'), 'X=parent\nY=parent-y\n');
    writeFileSync(join(nested, '.env'), 'COMPOSE_FILE=../app.yaml\nX=nested\nZ=nested-z\n');
    // docker compose v2.26 gives [nested, parent-y, nested-z]: both files read, the first one winning.
    const r = await cmp(['config', '--format', 'json'], { cwd: nested });
    expect(r.code, r.stderr).toBe(0);
    const cfg = JSON.parse(r.stdout) as { services: { s: { command: string[] } } };
    expect(cfg.services.s.command).toEqual(['echo', 'nested', 'parent-y', 'nested-z']);
    // The shell still wins over both.
    const shell = await cmp(['config', '--format', 'json'], { cwd: nested, env: { X: 'shell' } });
    expect((JSON.parse(shell.stdout) as typeof cfg).services.s.command[1]).toBe('shell');
  });

  it("a compose file found in a parent folder takes that folder's .env only, as compose does", async () => {
    const root = mkdtempSync(join(tmpdir(), 'cmp-e2e-'));
    const nested = join(root, 'nested');
    mkdirSync(join(root, 'other'), { recursive: true });
    mkdirSync(nested);
    const body = `services:\n  s:\n    image: busybox\n    command: ['echo', '\${X:-unset}']\n`;
    writeFileSync(join(root, 'compose.yaml'), body);
    writeFileSync(join(root, 'other', 'compose.yaml'), body);
    writeFileSync(join(root, '.env'), 'X=parent\n');
    // Compose never reads this one: the walk up found ../compose.yaml first.
    writeFileSync(join(nested, '.env'), 'COMPOSE_FILE=../other/compose.yaml\nX=nested\n');
    const r = await cmp(['config', '--format', 'json'], { cwd: nested });
    expect(r.code, r.stderr).toBe(0);
    const cfg = JSON.parse(r.stdout) as { services: { s: { command: string[] } } };
    expect(cfg.services.s.command).toEqual(['echo', 'parent']);
  });
});

describe('included projects', () => {
  it("an included project's env_file gives its secrets' environment: source", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-'));
    mkdirSync(join(dir, 'inc'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      'include:\n  - path: inc/compose.yaml\n    env_file: inc/my.env\n',
    );
    writeFileSync(
      join(dir, 'inc', 'compose.yaml'),
      `services:
  s:
    x-cmp: {host_rootfs: true}
    command: ['cat', '/run/secrets/tok', '/cfg']
    secrets: [tok]
    configs: [{source: cfg, target: /cfg}]
secrets:
  tok:
    environment: MY_SECRET
configs:
  cfg:
    environment: MY_CONFIG
`,
    );
    writeFileSync(join(dir, 'inc', 'my.env'), 'MY_SECRET=from-include\nMY_CONFIG=cfg-from-include\n');
    // The including project's .env wins over the included one's env_file, as in interpolation.
    writeFileSync(join(dir, '.env'), 'MY_CONFIG=cfg-from-top\n');
    const p = name();
    downAfter(dir, p);
    const r = await cmp(['-p', p, 'run', '--rm', '-T', 's'], { cwd: dir });
    expect(r.stderr).not.toContain('is not set');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('from-includecfg-from-top');
  });
});

describe('legacy links on the embedded runtime', () => {
  it('links: [db:database] gives the linking container the alias, and no one else', async () => {
    const { dir, name: p } = projectDir(
      `services:\n  db:\n${SLEEPER}  app:\n${SLEEPER}    links: ['db:database']\n  other:\n${SLEEPER}`,
    );
    downAfter(dir, p);
    const up = await cmp(['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    const hosts = (svc: string, host: string) =>
      cmp(['-p', p, 'exec', '-T', svc, 'getent', 'hosts', host], { cwd: dir });
    const db = (await hosts('app', 'db')).stdout.split(/\s+/)[0];
    expect(db).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const alias = await hosts('app', 'database');
    expect(alias.code, alias.stderr).toBe(0);
    expect(alias.stdout.split(/\s+/)[0]).toBe(db);
    // Docker scopes a link to the container that declares it.
    expect((await hosts('other', 'database')).code).not.toBe(0);
  });
});

describe('logs -f', () => {
  it('follows containers that up -d creates and recreates after it started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-'));
    const svc = (n: string) =>
      `  ${n}:\n    x-cmp: {host_rootfs: true}\n    init: true\n    command: ['sh', '-c', 'echo hello-from-${n}; exec sleep 1000']\n`;
    writeFileSync(join(dir, 'compose.yaml'), `services:\n${svc('a')}${svc('bb')}`);
    const p = name();
    downAfter(dir, p);
    const logs = cmpSpawn(['-p', p, 'logs', '-f'], { cwd: dir });
    let out = '';
    logs.stdout.on('data', (d: Buffer) => (out += d.toString()));
    logs.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => logs.once('exit', (code) => r(code)));
    later(async () => {
      logs.kill('SIGKILL');
      await exited;
    });
    const up = await cmp(['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    await pollUntil('logs -f to show both new containers', async () =>
      /a-1 +\| hello-from-a/.test(out) && /bb-1 +\| hello-from-bb/.test(out) ? true : undefined,
    );
    const again = await cmp(['-p', p, 'up', '-d', '--force-recreate', 'a'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    await pollUntil('logs -f to show the recreated container', async () =>
      out.split('hello-from-a').length === 3 ? true : undefined,
    );
    expect(logs.exitCode).toBeNull();
    logs.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('network config changes', () => {
  it('a changed ipam subnet makes the network again and gives its services new containers', async () => {
    const { dir, name: p } = projectDir(
      `services:\n  s:\n${SLEEPER}    networks: [front]\n  other:\n${SLEEPER}` +
        `networks:\n  front:\n    ipam:\n      config:\n        - subnet: \${SUB}\n`,
    );
    downAfter(dir, p);
    const octet = 100 + Math.floor(Math.random() * 100);
    const [a, b] = [`10.${octet}.1.0/24`, `10.${octet}.2.0/24`];
    const c = (sub: string, args: string[]) => cmp(['-p', p, ...args], { cwd: dir, env: { SUB: sub } });
    expect((await c(a, ['up', '-d'])).code).toBe(0);
    const otherId = (await c(a, ['ps', '-q', 'other'])).stdout.trim();
    const up = await c(b, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toContain('cmp down');
    const addr = await c(b, ['exec', '-T', 's', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
    expect(addr.stdout).toContain(`10.${octet}.2.`);
    // A service not on the network keeps its container.
    expect((await c(b, ['ps', '-q', 'other'])).stdout.trim()).toBe(otherId);
  });
});
