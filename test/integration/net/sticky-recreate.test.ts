// Issue 9: a recreate makes the replacement before it removes the old container, and the replacement must
// still get the identity's address, with never two live interfaces holding it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinuxNetworks } from '../../../src/runtime/embedded/net/manager.js';
import { DnsServer } from '../../../src/runtime/embedded/net/dns/server.js';
import { mustCidr } from '../../../src/runtime/embedded/net/ipv4.js';
import type { Sandbox } from '../../../src/runtime/embedded/net/types.js';
import { fakeUpstream, httpd, inNs, netReq, newId, nslookup, poll, stopChildren, wget } from './helpers.js';
import { firewallLeaksSince, firewallSnapshot, type FirewallSnapshot } from './leaks.js';
import { assertNoLeaks } from '../../setup/leaks.js';

let before: FirewallSnapshot;
let root: string;
let nets: LinuxNetworks;
let dns: DnsServer;
let upstream: { port: number; close: () => void };
const made = { networks: new Set<string>(), sandboxes: new Set<string>() };
const P = `s${process.pid}`;

interface Box {
  id: string;
  ns: string;
  ip: string;
}

async function network(
  key: string,
  extra: Record<string, unknown> = {},
): Promise<{ name: string; gateway: string }> {
  const req = netReq(P, key, extra);
  made.networks.add(req.name);
  await nets.createNetwork(req);
  const rec = await nets.store.network(req.name);
  if (!rec) throw new Error('network not recorded');
  return { name: rec.name, gateway: rec.gateway };
}

/** A service container (answers to its service name) or, with `oneoff`, a `cmp run` container. */
async function box(network: string, service: string, opts: { oneoff?: boolean } = {}): Promise<Box> {
  const id = newId();
  made.sandboxes.add(id);
  const sb: Sandbox = await nets.createSandbox(id);
  const name = opts.oneoff ? `${P}-${service}-run-${id.slice(0, 6)}` : `${P}-${service}-1`;
  const res = await nets.attach(
    sb,
    { network, aliases: opts.oneoff ? [name] : [service, name] },
    { project: P, service, number: 1 },
  );
  return { id, ns: sb.netnsPath.replace('/run/netns/', ''), ip: res.ipv4Address ?? '' };
}

async function remove(b: Box): Promise<void> {
  await nets.destroySandbox(b.id);
  made.sandboxes.delete(b.id);
}

async function eth0(b: Box): Promise<{ up: boolean; addr: string }> {
  const link = (await inNs(b.ns, ['ip', '-o', 'link', 'show', 'dev', 'eth0'])).out;
  const addr = (await inNs(b.ns, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'])).out;
  return { up: /[<,]UP[,>]/.test(link), addr };
}

async function remembered(network: string): Promise<Record<string, string> | undefined> {
  const mem = JSON.parse(await readFile(join(nets.store.dir, 'memory.json'), 'utf8')) as {
    addresses: Record<string, Record<string, string>>;
  };
  return mem.addresses[network];
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cmp-sticky-'));
  process.env.CMP_STATE_ROOT = join(root, 'state');
  process.env.CMP_RUN_ROOT = join(root, 'run');
  // Of this state root's table and rules: another suite's instance has its own.
  before = await firewallSnapshot();
  nets = new LinuxNetworks({ pool: { cidr: mustCidr('10.233.0.0/16', 'pool'), prefix: 24 } });
  upstream = await fakeUpstream();
  dns = new DnsServer({ upstreams: [{ address: '127.0.0.1', port: upstream.port }], pollMs: 100 });
  await dns.start();
});

afterAll(async () => {
  await stopChildren();
  await dns?.stop();
  upstream?.close();
  for (const id of made.sandboxes) await nets.destroySandbox(id);
  for (const n of made.networks) await nets.removeNetwork(n);
  await assertNoLeaks();
  expect(await firewallLeaksSince(before)).toEqual([]);
  await rm(root, { recursive: true, force: true });
});

describe('sticky address across a recreate', () => {
  it('gives the replacement the old address, live only once the old container is gone', async () => {
    const n = await network('recreate');
    await poll(async () => dns.addresses.includes(n.gateway));
    const a = await box(n.name, 'a');
    const oldB = await box(n.name, 'b');
    await httpd(oldB.ns, 'old b');

    const newB = await box(n.name, 'b');
    expect(newB.ip).toBe(oldB.ip);
    // Until the old container goes, the replacement's interface is down and the old one still answers.
    expect(await eth0(newB)).toMatchObject({ up: false });
    expect((await nslookup(a.ns, 'b', n.gateway)).ips).toEqual([oldB.ip]);
    expect((await wget(a.ns, `http://${oldB.ip}:8080/`)).out).toContain('old b');

    await remove(oldB);
    const now = await eth0(newB);
    expect(now.up).toBe(true);
    expect(now.addr).toContain(`${oldB.ip}/24`);
    expect((await inNs(newB.ns, ['ip', 'route', 'show', 'default'])).out).toContain(`via ${n.gateway}`);
    expect(await remembered(n.name)).toMatchObject({ [`${P}/b/1`]: oldB.ip });
    await httpd(newB.ns, 'new b');
    await poll(async () => (await wget(a.ns, `http://${oldB.ip}:8080/`)).out.includes('new b'), 8000);
    expect((await nslookup(a.ns, 'b', n.gateway)).ips).toEqual([oldB.ip]);
  });

  it('leaves the old container its address when the replacement is removed first (a failed recreate)', async () => {
    const n = await network('failed');
    const a = await box(n.name, 'a');
    const oldB = await box(n.name, 'b');
    await httpd(oldB.ns, 'still old b');
    const newB = await box(n.name, 'b');
    expect(newB.ip).toBe(oldB.ip);
    await remove(newB);
    expect((await eth0(oldB)).addr).toContain(`${oldB.ip}/24`);
    expect(await remembered(n.name)).toMatchObject({ [`${P}/b/1`]: oldB.ip });
    expect((await wget(a.ns, `http://${oldB.ip}:8080/`)).out).toContain('still old b');
  });

  it('hands nothing over under sequential assignment, nor to a one-off container', async () => {
    const seq = await network('seq', { 'x-cmp': { ip_assignment: 'sequential' } });
    const oldS = await box(seq.name, 'b');
    const newS = await box(seq.name, 'b');
    expect(newS.ip).not.toBe(oldS.ip);
    expect((await eth0(newS)).up).toBe(true);

    const n = await network('oneoff');
    const b = await box(n.name, 'b');
    const run = await box(n.name, 'b', { oneoff: true });
    expect(run.ip).not.toBe(b.ip);
    expect((await eth0(b)).addr).toContain(`${b.ip}/24`);
    // The one-off leaves the service's remembered address alone.
    expect(await remembered(n.name)).toEqual({ [`${P}/b/1`]: b.ip });
  });
});
