// Behaviour scripts depend on, checked against what `docker compose` v2.26 does with the same file (issue 20):
// the outcome and the wording of the errors a user sees.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDockerSaveTar } from '../setup/images.js';
import { cleanupAfterEach, cmp, projectDir, psJson } from './helpers.js';

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
`;

/** A service body on the host's own root filesystem that sleeps: what most cases here need. */
const SLEEPER = `    <<: *host
    command: ['sleep', '1000']
    init: true`;

const { downAfter, later } = cleanupAfterEach();

function inProject(dir: string, name: string) {
  return (args: string[]) => cmp(['-p', name, ...args], { cwd: dir });
}

/** A project of one sleeping service, taken down after the test. */
function sleeperProject(service: string) {
  const { dir, name } = projectDir(`${HOST}\nservices:\n  ${service}:\n${SLEEPER}\n`);
  downAfter(dir, name);
  return { dir, name, c: inProject(dir, name) };
}

describe('services that join another service', () => {
  it('network_mode service:X and volumes_from X come up on a fresh up, and fail like compose once X is gone', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  db:
    <<: *host
    command: ['sh', '-c', 'echo from-db > /data/mark; exec sleep 1000']
    init: true
    volumes: [data:/data]
  app:
    <<: *host
    network_mode: service:db
    command: ['sleep', '1000']
    init: true
  reader:
    <<: *host
    volumes_from: [db]
    command: ['sleep', '1000']
    init: true
volumes:
  data: {}
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    const up = await c(['up', '-d']);
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const netns = async (svc: string) =>
      (await c(['exec', '-T', svc, 'readlink', '/proc/self/ns/net'])).stdout.trim();
    const dbNs = await netns('db');
    expect(dbNs).toMatch(/^net:\[\d+\]$/);
    expect(await netns('app')).toBe(dbNs);
    const mark = await c(['exec', '-T', 'reader', 'cat', '/data/mark']);
    expect(mark.stdout.trim()).toBe('from-db');

    // A restarted provider has a new namespace: the joiner, restarted after it, follows it.
    expect((await c(['restart', '-t', '1', 'db'])).code).toBe(0);
    expect((await c(['restart', '-t', '1', 'app'])).code).toBe(0);
    expect(await netns('app')).toBe(await netns('db'));

    expect((await c(['rm', '-s', '-f', 'db'])).code).toBe(0);
    const app = await c(['up', '--no-deps', '-d', 'app']);
    expect(app.code).not.toBe(0);
    expect(app.stderr).toContain('cannot share network namespace with service db: container missing');
    expect(app.stderr).not.toMatch(/netns/);
    const reader = await c(['up', '--no-deps', '-d', 'reader']);
    expect(reader.code).not.toBe(0);
    expect(reader.stderr).toContain('cannot share volume with service db: container missing');
  });
});

describe('healthchecks and pause', () => {
  it('refuses healthcheck.start_interval without start_period at load, located', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  s:
    <<: *host
    command: ['sleep', '1000']
    healthcheck:
      test: ['CMD', 'true']
      start_interval: 1s
`);
    const r = await cmp(['-p', name, 'config', '-q'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /compose\.yaml:12:\d+.*healthcheck\.start_interval requires healthcheck\.start_period to be set/,
    );
  });

  it('service_healthy on a dependency without a healthcheck: the rest comes up, then the dependency is reported', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  db:
${SLEEPER}
  other:
${SLEEPER}
  web:
${SLEEPER}
    depends_on:
      db: {condition: service_healthy}
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    const up = await c(['up', '-d']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain(
      `dependency failed to start: container ${name}-db-1 has no healthcheck configured`,
    );
    const rows = await psJson<{ Service: string; State: string }>(dir, name);
    const state = Object.fromEntries(rows.map((r) => [r.Service, r.State]));
    expect(state).toEqual({ db: 'running', other: 'running', web: 'created' });
  });

  it('pause of a paused service exits 1 saying it is already paused', async () => {
    const { name, c } = sleeperProject('a');
    expect((await c(['up', '-d'])).code).toBe(0);
    expect((await c(['pause', 'a'])).code).toBe(0);
    const again = await c(['pause', 'a']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`container ${name}-a-1 is already paused`);
    expect((await c(['unpause', 'a'])).code).toBe(0);
  });
});

describe('two services with one container_name', () => {
  it('loads, refuses the second at create, and lets other services and down work', async () => {
    const same = `cmp-same-${randomBytes(3).toString('hex')}`;
    const { dir, name } = projectDir(`${HOST}
services:
  a:
${SLEEPER}
    container_name: ${same}
  b:
${SLEEPER}
    container_name: ${same}
  c:
${SLEEPER}
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    expect((await c(['config', '-q'])).code).toBe(0);
    const up = await c(['up', '-d']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain(`container name "${same}" is already in use`);
    const rows = await psJson<{ Service: string; State: string }>(dir, name);
    expect(rows.filter((r) => r.Service === 'c').map((r) => r.State)).toEqual(['running']);
    expect(rows.filter((r) => r.Service === 'a' || r.Service === 'b')).toHaveLength(1);
    expect((await c(['up', '-d', 'c'])).code).toBe(0);
    const down = await c(['down', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect(await psJson(dir, name)).toEqual([]);
  });
});

describe('image: given as an image id', () => {
  it('runs the local image a full or short id names, without pulling', async () => {
    const tag = `cmp-test/byid:${randomBytes(3).toString('hex')}`;
    const tar = join(mkdtempSync(join(tmpdir(), 'cmp-byid-')), 'busybox.tar');
    await writeDockerSaveTar(tar, { tags: [tag] });
    const load = await cmp(['image', 'load', '-i', tar], { cwd: tmpdir() });
    expect(load.code, load.stderr).toBe(0);
    later(() => cmp(['image', 'rm', tag], { cwd: tmpdir() }));
    const ls = await cmp(['image', 'ls', '--format', 'json', '--filter', `reference=${tag}`], {
      cwd: tmpdir(),
    });
    const row = JSON.parse(ls.stdout.split('\n')[0] as string) as { ID: string; FullID: string };
    expect(row.FullID).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { dir, name } = projectDir(`
services:
  full:
    image: ${row.FullID}
    command: ['sleep', '1000']
    init: true
  short:
    image: ${row.ID}
    command: ['sleep', '1000']
    init: true
`);
    downAfter(dir, name);
    const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(up.stderr).not.toMatch(/pull/i);
    expect(up.code, up.stderr).toBe(0);
    const rows = await psJson<{ Service: string; State: string }>(dir, name);
    expect(rows.map((r) => `${r.Service} ${r.State}`).sort()).toEqual(['full running', 'short running']);
  });
});

describe('exec and ps as compose', () => {
  it('exec reaches a one-off container when the service has no replica, and names the missing replica', async () => {
    const { c } = sleeperProject('s');
    const missing = await c(['exec', '-T', 's', 'true']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('service "s" is not running');
    expect((await c(['run', '-d', 's', 'sleep', '1000'])).code).toBe(0);
    // The one-off goes by kill and rm, which reach one-offs, before downAfter's down.
    later(async () => {
      await c(['kill']);
      await c(['rm', '-f']);
    });
    const plain = await c(['exec', '-T', 's', 'echo', 'in-oneoff']);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toBe('in-oneoff\n');
    expect((await c(['exec', '-T', '--index=1', 's', 'echo', 'first'])).stdout).toBe('first\n');
    const second = await c(['exec', '-T', '--index=2', 's', 'true']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('service "s" is not running container #2');
  });

  it('ps shows exposed ports beside published ones, in PORTS and in Publishers', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const { dir, name } = projectDir(`${HOST}
services:
  s:
${SLEEPER}
    expose: ['80', '9000-9001/udp']
    ports: ['127.0.0.1:${port}:81']
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    expect((await c(['up', '-d'])).code).toBe(0);
    const table = await c(['ps']);
    expect(table.stdout).toContain(`80/tcp, 127.0.0.1:${port}->81/tcp, 9000/udp, 9001/udp`);
    const [row] = await psJson<{ Publishers: unknown[] }>(dir, name);
    expect(row?.Publishers).toEqual([
      { URL: '', TargetPort: 80, PublishedPort: 0, Protocol: 'tcp' },
      { URL: '127.0.0.1', TargetPort: 81, PublishedPort: port, Protocol: 'tcp' },
      { URL: '', TargetPort: 9000, PublishedPort: 0, Protocol: 'udp' },
      { URL: '', TargetPort: 9001, PublishedPort: 0, Protocol: 'udp' },
    ]);
  });
});

describe('recreation on resource changes', () => {
  it('recreates the container when the external volume it mounts changes', async () => {
    const tag = randomBytes(3).toString('hex');
    const [va, vb] = [`cmp-ext-a-${tag}`, `cmp-ext-b-${tag}`];
    const { dir, name } = projectDir(`${HOST}
services:
  s:
${SLEEPER}
    volumes: [data:/data]
volumes:
  data:
    external: true
    name: \${V}
`);
    for (const v of [va, vb]) {
      expect((await cmp(['volume', 'create', v], { cwd: dir })).code).toBe(0);
      later(() => cmp(['volume', 'rm', '-f', v], { cwd: dir }));
    }
    downAfter(dir, name);
    const c = (v: string, args: string[]) => cmp(['-p', name, ...args], { cwd: dir, env: { V: v } });
    expect((await c(va, ['up', '-d'])).code).toBe(0);
    expect((await c(va, ['exec', '-T', 's', 'sh', '-c', 'echo in-a > /data/mark'])).code).toBe(0);
    const up = await c(vb, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(`${up.stdout}${up.stderr}`).toMatch(/Recreate/);
    const mark = await c(vb, ['exec', '-T', 's', 'sh', '-c', 'cat /data/mark 2>/dev/null || echo none']);
    expect(mark.stdout.trim()).toBe('none');
  });
});

describe('legacy networking on the embedded runtime', () => {
  it('applies interface_name and a service-level mac_address', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  s:
${SLEEPER}
    mac_address: 02:42:ac:11:00:99
    networks:
      front:
        interface_name: front0
      back: {}
networks:
  front: {}
  back: {}
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    const up = await c(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const links = await c(['exec', '-T', 's', 'sh', '-c', 'ls /sys/class/net | sort | tr "\\n" " "']);
    expect(links.stdout.trim()).toBe('eth0 front0 lo');
    // The service's own mac_address is its first network's (back sorts before front), as Docker.
    const mac = await c(['exec', '-T', 's', 'cat', '/sys/class/net/eth0/address']);
    expect(mac.stdout.trim()).toBe('02:42:ac:11:00:99');
  });
});

describe('interpolation precedence', () => {
  it('the shell beats .env inside .env itself', async () => {
    const { dir, name } = projectDir(`
services:
  s:
    image: busybox
    command: ['echo', '\${B}']
`);
    writeFileSync(join(dir, '.env'), 'A=fromfile\nB=x-${A}\n');
    const shell = await cmp(['-p', name, 'config'], { cwd: dir, env: { A: 'fromshell' } });
    expect(shell.stdout).toContain('x-fromshell');
    // An undefined value leaves A out of the child's environment.
    const file = await cmp(['-p', name, 'config'], { cwd: dir, env: { A: undefined } });
    expect(file.stdout).toContain('x-fromfile');
  });
});
