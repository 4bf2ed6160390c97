// The embedded runtime's networking end to end, through the `cmp` binary: names, aliases, isolation
// between networks and projects, internal networks, static addresses and published ports.
import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import {
  cleanupAfterEach,
  cmp,
  freePort,
  httpGet,
  pollUntil,
  projectDir,
  type CmpResult,
} from './helpers.js';

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
  init: true
`;

// A host-rootfs web server answering `text` on `port`, for the tests that need something to reach.
function server(text: string, port: number): string {
  return `['sh', '-c', 'mkdir -p /tmp/www && echo ${text} > /tmp/www/index.html && exec busybox httpd -f -p ${port} -h /tmp/www']`;
}

const { downAfter } = cleanupAfterEach();

async function upOk(dir: string, project: string): Promise<void> {
  const up = await cmp(['-p', project, 'up', '-d', '--wait'], { cwd: dir });
  expect(up.stderr).not.toMatch(/error/i);
  expect(up.code).toBe(0);
}

function exec(dir: string, project: string, service: string, cmd: string[]): Promise<CmpResult> {
  return cmp(['-p', project, 'exec', '-T', service, ...cmd], { cwd: dir });
}

/** The IPv4 address of a service's eth0, as the container itself reports it. */
async function addressOf(dir: string, project: string, service: string): Promise<string> {
  const r = await exec(dir, project, service, ['busybox', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
  expect(r.code).toBe(0);
  const addr = /\binet\s+([\d.]+)\//.exec(r.stdout)?.[1];
  expect(addr, r.stdout).toBeDefined();
  return addr ?? '';
}

/** What `busybox nslookup name` answers inside a container, or undefined when it cannot resolve it. */
async function resolve(
  dir: string,
  project: string,
  service: string,
  name: string,
): Promise<string | undefined> {
  const r = await exec(dir, project, service, ['busybox', 'nslookup', name]);
  if (r.code !== 0) return undefined;
  return new RegExp(`Name:\\s+${name}\\S*\\s*\\nAddress:?\\s+([\\d.]+)`).exec(r.stdout)?.[1];
}

describe('embedded networking through cmp', () => {
  it('reaches a service by name and by alias on a shared network, and finds the recreated container at once', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  api:
    <<: *host
    command: ${server('api-answer', 8000)}
    networks:
      back:
        aliases: [backend]
  client:
    <<: *host
    command: ['sleep', '1000']
    networks: [back]
networks:
  back: {}
`);
    downAfter(dir, name);
    await upOk(dir, name);
    const get = async (host: string): Promise<string | undefined> => {
      const r = await exec(dir, name, 'client', ['busybox', 'wget', '-q', '-O', '-', `http://${host}:8000/`]);
      return r.code === 0 ? r.stdout.trim() : undefined;
    };
    expect(await pollUntil('api to answer by name', () => get('api'))).toBe('api-answer');
    expect(await get('backend')).toBe('api-answer');
    const before = await addressOf(dir, name, 'api');
    const oldId = (await cmp(['-p', name, 'ps', '-q', 'api'], { cwd: dir })).stdout.trim();

    const re = await cmp(['-p', name, 'up', '-d', '-t', '1', '--force-recreate', 'api'], { cwd: dir });
    expect(re.code).toBe(0);
    const newId = (await cmp(['-p', name, 'ps', '-q', 'api'], { cwd: dir })).stdout.trim();
    expect(newId).not.toBe('');
    expect(newId).not.toBe(oldId);
    // The new container is reachable by both names within a second of `up` returning.
    expect(await pollUntil('the recreated api by name', () => get('api'), 1000)).toBe('api-answer');
    expect(await pollUntil('the recreated api by alias', () => get('backend'), 1000)).toBe('api-answer');
    const after = await addressOf(dir, name, 'api');
    expect(await resolve(dir, name, 'client', 'api')).toBe(after);
    expect(before).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('hides a service from a container on another network: no name, no connection', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  api:
    <<: *host
    command: ${server('api-answer', 8000)}
    networks: [back]
  client:
    <<: *host
    command: ['sleep', '1000']
    networks: [back]
  outsider:
    <<: *host
    command: ['sleep', '1000']
    networks: [front]
  neighbour:
    <<: *host
    command: ['sleep', '1000']
    networks: [front]
networks:
  back: {}
  front: {}
`);
    downAfter(dir, name);
    await upOk(dir, name);
    // The outsider's DNS works for its own network...
    expect(await resolve(dir, name, 'outsider', 'neighbour')).toBe(await addressOf(dir, name, 'neighbour'));
    // ...but api, on `back` only, is unknown there.
    const look = await exec(dir, name, 'outsider', ['busybox', 'nslookup', 'api']);
    expect(look.code).not.toBe(0);
    expect(look.stdout + look.stderr).toMatch(/NXDOMAIN/);

    const addr = await addressOf(dir, name, 'api');
    const probe = ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 1 ${addr} 8000`];
    // The same probe succeeds from `back`, so a failure from `front` is the isolation, not the probe.
    const inside = await pollUntil('api to answer on back', async () => {
      const r = await exec(dir, name, 'client', probe);
      return r.code === 0 && r.stdout.includes('api-answer') ? r : undefined;
    });
    expect(inside.stdout).toContain('200 OK');
    const outside = await exec(dir, name, 'outsider', probe);
    expect(outside.code).not.toBe(0);
    expect(outside.stdout).not.toContain('api-answer');
  });

  it('gives a container on an internal network no default route', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  sealed:
    <<: *host
    command: ['sleep', '1000']
    networks: [inside]
  open:
    <<: *host
    command: ['sleep', '1000']
    networks: [outside]
networks:
  inside:
    internal: true
  outside: {}
`);
    downAfter(dir, name);
    await upOk(dir, name);
    const sealed = await exec(dir, name, 'sealed', ['busybox', 'ip', 'route']);
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toMatch(/dev eth0/);
    expect(sealed.stdout).not.toMatch(/default/);
    const open = await exec(dir, name, 'open', ['busybox', 'ip', 'route']);
    expect(open.stdout).toMatch(/^default via /m);
  });

  it('publishes a port on 127.0.0.1, and refuses a second project on the same port leaving nothing of it', async () => {
    const port = await freePort();
    const yaml = `${HOST}
services:
  web:
    <<: *host
    command: ${server('port-answer', 80)}
    ports: ['127.0.0.1:${port}:80']
`;
    const first = projectDir(yaml);
    const second = projectDir(yaml);
    downAfter(first.dir, first.name);
    downAfter(second.dir, second.name);
    await upOk(first.dir, first.name);
    const page = await pollUntil('the published port to answer', async () => {
      const text = await httpGet(`http://127.0.0.1:${port}/`);
      return text.includes('port-answer') ? text : undefined;
    });
    expect(page.trim()).toBe('port-answer');

    const clash = await cmp(['-p', second.name, 'up', '-d'], { cwd: second.dir });
    expect(clash.code).toBe(1);
    const lines = clash.stderr.split('\n').filter((l) => l.trim() !== '');
    // The last line is the error a user reads: one line, naming the port.
    expect(lines.at(-1)).toMatch(new RegExp(`\\b${port}\\b.*in use`));
    const ps = await cmp(['-p', second.name, 'ps', '-a', '--format', 'json'], { cwd: second.dir });
    expect(ps.code).toBe(0);
    expect(ps.stdout.trim()).toBe('');
    // The first project still owns the port.
    expect((await httpGet(`http://127.0.0.1:${port}/`)).trim()).toBe('port-answer');
  });

  it('gives a container its static ipv4_address from the network subnet', async () => {
    const net = `10.199.${randomInt(10, 250)}`;
    const { dir, name } = projectDir(`${HOST}
services:
  pinned:
    <<: *host
    command: ['sleep', '1000']
    networks:
      fixed:
        ipv4_address: ${net}.77
networks:
  fixed:
    ipam:
      config:
        - subnet: ${net}.0/24
`);
    downAfter(dir, name);
    await upOk(dir, name);
    expect(await addressOf(dir, name, 'pinned')).toBe(`${net}.77`);
  });

  it('keeps two projects with the same service names apart', async () => {
    const yaml = `${HOST}
services:
  db:
    <<: *host
    command: ['sleep', '1000']
  web:
    <<: *host
    command: ['sleep', '1000']
`;
    const a = projectDir(yaml);
    const b = projectDir(yaml);
    downAfter(a.dir, a.name);
    downAfter(b.dir, b.name);
    await upOk(a.dir, a.name);
    await upOk(b.dir, b.name);
    const dbA = await addressOf(a.dir, a.name, 'db');
    const dbB = await addressOf(b.dir, b.name, 'db');
    expect(dbA).not.toBe(dbB);
    expect(await resolve(a.dir, a.name, 'web', 'db')).toBe(dbA);
    expect(await resolve(b.dir, b.name, 'web', 'db')).toBe(dbB);
  });
});
