// `up --no-start`, `up --no-attach` and `run --service-ports` / `run -p` through the cmp binary on the
// embedded runtime, with host-rootfs services (issue #6).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, httpGet, pollUntil, projectDir, psJson } from './helpers.js';

interface PsRow {
  Name: string;
  Service: string;
  State: string;
  Publishers: Array<{ URL: string; TargetPort: number; PublishedPort: number; Protocol: string }>;
}

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
`;

const { downAfter, later } = cleanupAfterEach();

/** A project folder whose project name carries this file's prefix, taken down after the test. */
function stack(yaml: string): { dir: string; name: string } {
  const { dir } = projectDir(`${HOST}${yaml}`);
  const name = `uprunflags${randomBytes(3).toString('hex')}`;
  downAfter(dir, name);
  return { dir, name };
}

function ps(dir: string, project: string): Promise<PsRow[]> {
  return psJson<PsRow>(dir, project);
}

async function states(dir: string, project: string): Promise<string[]> {
  return (await ps(dir, project)).map((r) => `${r.Service}:${r.State}`).sort();
}

/** A port on 127.0.0.1 that nothing else in the suite asks for. */
function freePort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

describe('cmp up --no-start', () => {
  it('creates the containers without starting them; start and up -d run them later', async () => {
    const { dir, name } = stack(`
services:
  db:
    <<: *host
    command: ['sleep', '1000']
    init: true
  app:
    <<: *host
    command: ['sleep', '1000']
    init: true
    depends_on: [db]
`);
    const up = await cmp(['-p', name, 'up', '--no-start'], { cwd: dir });
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    expect(up.stdout).toBe('');
    expect(await states(dir, name)).toEqual(['app:created', 'db:created']);
    expect((await cmp(['-p', name, 'ps', '-q'], { cwd: dir })).stdout).toBe('');

    expect((await cmp(['-p', name, 'start', 'db'], { cwd: dir })).code).toBe(0);
    expect(await states(dir, name)).toEqual(['app:created', 'db:running']);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    expect(await states(dir, name)).toEqual(['app:running', 'db:running']);
  });
});

describe('attached cmp up --no-attach', () => {
  it('shows no line of the service it leaves out, which still runs', async () => {
    const { dir, name } = stack(`
services:
  chatty:
    <<: *host
    command: ['sh', '-c', 'echo chatty says hi; exec sleep 1000']
    init: true
  quiet:
    <<: *host
    command: ['sh', '-c', 'sleep 1; echo quiet says hi']
`);
    const up = await cmp(['-p', name, 'up', '--no-attach', 'chatty'], { cwd: dir, timeoutMs: 60_000 });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^Attaching to quiet-1\n/);
    expect(up.stdout).toContain('quiet says hi');
    expect(up.stdout).not.toContain('chatty');
    // chatty did print, and keeps running: up followed only quiet and returned when quiet ended.
    const logs = await cmp(['-p', name, 'logs', '--no-log-prefix', 'chatty'], { cwd: dir });
    expect(logs.stdout).toBe('chatty says hi\n');
    expect(await states(dir, name)).toEqual(['chatty:running', 'quiet:exited']);
  });
});

describe('cmp run and published ports', () => {
  it("publishes the service's ports only with --service-ports, and -p's ports with -p", async () => {
    const port = freePort();
    const other = port + 1;
    const { dir, name } = stack(`
services:
  web:
    <<: *host
    command: ['sh', '-c', 'mkdir -p /tmp/www && echo one-off-ok > /tmp/www/index.html && exec busybox httpd -f -p 80 -h /tmp/www']
    ports: ['127.0.0.1:${port}:80']
`);
    // Detached one-offs are not the service's containers: down leaves them; kill and rm take them.
    later(async () => {
      await cmp(['-p', name, 'kill', '-s', 'KILL'], { cwd: dir });
      await pollUntil('the one-offs to be removed', async () => {
        await cmp(['-p', name, 'rm', '-f'], { cwd: dir });
        return (await ps(dir, name)).length === 0;
      });
    });
    const runDetached = async (...flags: string[]): Promise<PsRow> => {
      const r = await cmp(['-p', name, 'run', '-d', ...flags, 'web'], { cwd: dir });
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const oneoff = r.stdout.trim();
      expect(oneoff).toMatch(new RegExp(`^${name}-web-run-[0-9a-f]{12}$`));
      const row = (await ps(dir, name)).find((x) => x.Name === oneoff);
      expect(row?.State).toBe('running');
      return row as PsRow;
    };

    const plain = await runDetached();
    expect(plain.Publishers).toEqual([]);
    await expect(httpGet(`http://127.0.0.1:${port}/`)).rejects.toThrow();

    const withPorts = await runDetached('--service-ports');
    expect(withPorts.Publishers.map((p) => `${p.URL}:${p.PublishedPort}->${p.TargetPort}`)).toEqual([
      `127.0.0.1:${port}->80`,
    ]);
    const page = await pollUntil('the one-off to answer on the service port', () =>
      httpGet(`http://127.0.0.1:${port}/`),
    );
    expect(page).toBe('one-off-ok\n');

    const withP = await runDetached('-p', `127.0.0.1:${other}:80`);
    expect(withP.Publishers.map((p) => p.PublishedPort)).toEqual([other]);
    expect(await pollUntil('the one-off to answer on -p', () => httpGet(`http://127.0.0.1:${other}/`))).toBe(
      'one-off-ok\n',
    );
  });
});
