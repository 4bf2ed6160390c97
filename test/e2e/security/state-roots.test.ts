// Two cmp instances on one host (two state roots, as test suites and separate users run them) with the same
// project: neither may take the other's subnet or bridge, remove the other's firewall, or lose its own for
// good. Through the `cmp` binary, each instance with its own CMP_STATE_ROOT / CMP_RUN_ROOT.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryRun } from '../../../src/util/exec.js';
import { firewallTable, instanceTag } from '../../../src/runtime/embedded/net/names.js';
import { assertNoLeaks } from '../../setup/leaks.js';
import { cmp, httpGet, pollUntil, projectDir, type CmpResult } from '../helpers.js';

const PROBE_SOURCE = resolve(import.meta.dirname, '../../fixtures/security/syn-probe.c');

interface Instance {
  state: string;
  run: string;
  port: number;
  dir: string;
}

const project = `roots${process.pid}`;
let probeDir: string;
let listener: Server;
let a: Instance;
let b: Instance;

function env(i: Instance): NodeJS.ProcessEnv {
  return { CMP_STATE_ROOT: i.state, CMP_RUN_ROOT: i.run };
}

function run(i: Instance, args: string[]): Promise<CmpResult> {
  return cmp(['-p', project, ...args], { cwd: i.dir, env: env(i) });
}

async function up(i: Instance): Promise<void> {
  const r = await run(i, ['up', '-d', '--wait']);
  expect(r.code, r.stderr).toBe(0);
}

function network(i: Instance): { bridge: string; subnet: string } {
  const file = join(i.state, 'networks', `net-${project}_default.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as { bridge: string; subnet: string };
}

function table(i: Instance): string {
  return firewallTable(instanceTag(i.state));
}

async function tableExists(i: Instance): Promise<boolean> {
  return (await tryRun('nft', ['list', 'table', 'inet', table(i)])).exitCode === 0;
}

async function answers(i: Instance): Promise<string | undefined> {
  return httpGet(`http://127.0.0.1:${i.port}/`).then(
    (t) => t.trim(),
    () => undefined,
  );
}

async function exec(i: Instance, cmd: string[]): Promise<{ code: number; out: string }> {
  const r = await run(i, ['exec', '-T', 'web', ...cmd]);
  return { code: r.code, out: r.stdout + r.stderr };
}

async function addressOf(i: Instance): Promise<{ ip: string; gateway: string }> {
  const addr = await exec(i, ['busybox', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
  const route = await exec(i, ['busybox', 'ip', 'route', 'show', 'default']);
  return {
    ip: /\binet\s+([\d.]+)\//.exec(addr.out)?.[1] ?? '',
    gateway: /default via ([\d.]+)/.exec(route.out)?.[1] ?? '',
  };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => ok(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function instance(name: string): Promise<Instance> {
  const roots = mkdtempSync(join(tmpdir(), `cmp-roots-${name}-`));
  const port = await freePort();
  const { dir } = projectDir(`
services:
  web:
    x-cmp: { host_rootfs: true }
    init: true
    command: ['sh', '-c', 'mkdir -p /tmp/www && echo ${name} > /tmp/www/index.html && busybox httpd -p 8080 -h /tmp/www && exec busybox httpd -f -p 80 -h /tmp/www']
    ports: ['127.0.0.1:${port}:80']
    volumes: ['${probeDir}:/probe:ro']
`);
  return { state: join(roots, 'state'), run: join(roots, 'run'), port, dir };
}

beforeAll(async () => {
  probeDir = mkdtempSync(join(tmpdir(), 'cmp-probe-'));
  execFileSync('cc', ['-static', '-O2', '-o', join(probeDir, 'syn-probe'), PROBE_SOURCE]);
  listener = createServer((s) => s.end('loopback secret\n'));
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  a = await instance('first');
  b = await instance('second');
}, 60_000);

afterAll(async () => {
  listener?.close();
  const both = [a, b].filter((i) => i !== undefined);
  for (const i of both) await run(i, ['down', '-t', '1']);
  for (const i of both) {
    const saved = { state: process.env.CMP_STATE_ROOT, run: process.env.CMP_RUN_ROOT };
    Object.assign(process.env, env(i));
    try {
      await assertNoLeaks();
    } finally {
      process.env.CMP_STATE_ROOT = saved.state;
      process.env.CMP_RUN_ROOT = saved.run;
      if (saved.state === undefined) delete process.env.CMP_STATE_ROOT;
      if (saved.run === undefined) delete process.env.CMP_RUN_ROOT;
    }
  }
}, 120_000);

describe('two state roots on one host', () => {
  it('keep their own subnets, bridges and firewall; a down or a deleted table in one never costs the other', async () => {
    await up(a);
    await up(b);
    // The same project and network name in both: different bridges, subnets and tables all the same.
    expect(network(a).bridge).not.toBe(network(b).bridge);
    expect(network(a).subnet).not.toBe(network(b).subnet);
    expect(table(a)).not.toBe(table(b));
    expect(await pollUntil('first to answer', () => answers(a))).toBe('first');
    expect(await pollUntil('second to answer', () => answers(b))).toBe('second');

    // The second goes away and comes back: the first's port, table and isolation are untouched.
    expect((await run(b, ['down', '-t', '1'])).code).toBe(0);
    expect(await tableExists(a)).toBe(true);
    expect(await answers(a)).toBe('first');
    await up(b);
    expect(await answers(a)).toBe('first');
    const first = await addressOf(a);
    const second = await addressOf(b);
    // Isolation across instances: neither container reaches the other's unpublished port...
    const reach = (from: Instance, ip: string): Promise<{ code: number; out: string }> =>
      exec(from, ['timeout', '4', 'busybox', 'wget', '-q', '-O', '-', `http://${ip}:8080/`]);
    expect((await reach(a, second.ip)).out).not.toContain('second');
    expect((await reach(b, first.ip)).out).not.toContain('first');
    // ...and the first's loopback guard is still there after the second's rewrites.
    const probe = await exec(a, [
      '/probe/syn-probe',
      'eth0',
      first.gateway,
      '127.0.0.1',
      String((listener.address() as { port: number }).port),
    ]);
    expect(probe.out).toContain('NONE');

    // Someone deletes the first's table: its port stops, and the next `up -d` brings the rules back.
    await tryRun('nft', ['delete', 'table', 'inet', table(a)]);
    expect(await answers(a)).toBeUndefined();
    await up(a);
    expect(await tableExists(a)).toBe(true);
    expect(await pollUntil('first to answer again', () => answers(a))).toBe('first');
    expect(await answers(b)).toBe('second');
  }, 180_000);
});
