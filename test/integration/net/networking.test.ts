// The embedded network layer end to end, with busybox processes standing in for containers.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinuxNetworks } from '../../../src/runtime/embedded/net/manager.js';
import { DnsServer } from '../../../src/runtime/embedded/net/dns/server.js';
import { sharedNetnsPath } from '../../../src/runtime/embedded/net/modes.js';
import { mustCidr } from '../../../src/runtime/embedded/net/ipv4.js';
import { firewallTable } from '../../../src/runtime/embedded/net/names.js';
import { RuntimeError } from '../../../src/util/errors.js';
import { tryRun } from '../../../src/util/exec.js';
import type { Sandbox } from '../../../src/runtime/embedded/net/types.js';
import {
  fakeUpstream,
  httpd,
  inNs,
  netReq,
  newId,
  nslookup,
  poll,
  queryA,
  queryDns,
  sendQuery,
  stopChildren,
  wget,
} from './helpers.js';
import { firewallLeaksSince, firewallSnapshot, type FirewallSnapshot } from './leaks.js';
import { assertNoLeaks } from '../../setup/leaks.js';

let before: FirewallSnapshot;
let root: string;
let nets: LinuxNetworks;
let dns: DnsServer;
let upstream: { port: number; close: () => void };
const made = { networks: new Set<string>(), sandboxes: new Set<string>() };
const P = `n${process.pid}`;

function nsOf(sb: Sandbox): string {
  return sb.netnsPath.replace('/run/netns/', '');
}

async function network(
  ...args: Parameters<typeof netReq>
): Promise<{ name: string; gateway: string; subnet: string }> {
  const req = netReq(...args);
  made.networks.add(req.name);
  const st = await nets.createNetwork(req);
  const rec = await nets.store.network(st.name);
  if (!rec) throw new Error('network not recorded');
  return { name: rec.name, gateway: rec.gateway, subnet: rec.subnet };
}

async function container(
  project: string,
  service: string,
  number: number,
  attach: { network: string; aliases?: string[]; ipv4Address?: string }[],
  id = newId(),
): Promise<{ id: string; sb: Sandbox; ns: string; ips: string[] }> {
  made.sandboxes.add(id);
  const sb = await nets.createSandbox(id);
  const ips: string[] = [];
  for (const a of attach) {
    const res = await nets.attach(
      sb,
      {
        network: a.network,
        aliases: [service, `${project}-${service}-${number}`, ...(a.aliases ?? [])],
        ipv4Address: a.ipv4Address,
      },
      { project, service, number },
    );
    ips.push(res.ipv4Address ?? '');
  }
  return { id, sb, ns: nsOf(sb), ips };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cmp-net-'));
  process.env.CMP_STATE_ROOT = join(root, 'state');
  process.env.CMP_RUN_ROOT = join(root, 'run');
  // Of this state root's table and rules: another suite's instance has its own.
  before = await firewallSnapshot();
  nets = new LinuxNetworks({ pool: { cidr: mustCidr('10.231.0.0/16', 'pool'), prefix: 24 } });
  upstream = await fakeUpstream();
  dns = new DnsServer({ upstreams: [{ address: '127.0.0.1', port: upstream.port }], pollMs: 100 });
  await dns.start();
});

afterAll(async () => {
  await stopChildren();
  await dns?.stop();
  expect(dns.addresses).toEqual([]);
  upstream?.close();
  for (const id of made.sandboxes) await nets.destroySandbox(id);
  for (const n of made.networks) await nets.removeNetwork(n);
  // Nothing this suite made may outlive it: bridges, veths, namespaces, nft table, iptables accepts.
  await assertNoLeaks();
  expect(await firewallLeaksSince(before)).toEqual([]);
  await rm(root, { recursive: true, force: true });
});

async function served(gateway: string): Promise<void> {
  await poll(async () => dns.addresses.includes(gateway));
}

describe('names on a network', () => {
  it('resolves a service by name and alias, keeps its address across recreate, and round-robins replicas', async () => {
    const back = await network(P, 'back');
    await served(back.gateway);
    const api = await container(P, 'api', 1, [{ network: back.name, aliases: ['backend'] }]);
    const client = await container(P, 'client', 1, [{ network: back.name }]);
    await httpd(api.ns, 'hello from api');

    const byName = await nslookup(client.ns, 'api', back.gateway);
    expect(byName.ips).toEqual([api.ips[0]]);
    expect((await nslookup(client.ns, 'backend', back.gateway)).ips).toEqual([api.ips[0]]);
    expect((await nslookup(client.ns, `${P}-api-1`, back.gateway)).ips).toEqual([api.ips[0]]);
    expect((await wget(client.ns, `http://${api.ips[0]}:8080/`)).out).toContain('hello from api');
    // Anything that is not a container name goes to the upstream resolver.
    expect((await nslookup(client.ns, 'example.test', back.gateway)).ips).toEqual(['198.51.100.7']);

    // Recreate: the sandbox goes away and comes back for the same service replica.
    await stopChildren();
    await nets.destroySandbox(api.id);
    expect(await queryA(back.gateway, 'api', client.ns)).toMatchObject({ rcode: 'NXDOMAIN' });
    const again = await container(P, 'api', 1, [{ network: back.name, aliases: ['backend'] }]);
    expect(again.ips).toEqual(api.ips);
    expect((await nslookup(client.ns, 'api', back.gateway)).ips).toEqual(api.ips);
    await httpd(again.ns, 'hello again');
    expect((await wget(client.ns, `http://${api.ips[0]}:8080/`)).out).toContain('hello again');

    // A second replica: both addresses, in turns.
    const api2 = await container(P, 'api', 2, [{ network: back.name, aliases: ['backend'] }]);
    const first = await queryA(back.gateway, 'api', client.ns);
    const second = await queryA(back.gateway, 'api', client.ns);
    expect([...first.ips].sort()).toEqual([again.ips[0], api2.ips[0]].sort());
    expect(second.ips).toEqual([...first.ips].reverse());
    expect(first.rcode).toBe('NOERROR');
  });

  it('answers a reverse lookup of a container address with <container>.<network>, on that network only', async () => {
    const back = await network(P, 'back');
    const front = await network(P, 'front');
    await served(back.gateway);
    await served(front.gateway);
    const db = await container(P, 'db', 1, [{ network: back.name }]);
    const asker = await container(P, 'asker', 1, [{ network: back.name }]);
    const ptr = (ip: string): string => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
    const onBack = await queryDns(back.gateway, ptr(db.ips[0] ?? ''), 'PTR', asker.ns);
    expect(onBack.answers).toEqual([{ type: 'PTR', data: `${P}-db-1.${back.name}` }]);
    // Inside a container, as a user would ask it.
    const shown = await inNs(asker.ns, ['busybox', 'nslookup', db.ips[0] ?? '', back.gateway]);
    expect(shown.out).toContain(`${P}-db-1.${back.name}`);
    // An address on another network is not this network's to name: the question goes upstream.
    const elsewhere = await container(P, 'elsewhere', 1, [{ network: front.name }]);
    const onFront = await queryDns(front.gateway, ptr(db.ips[0] ?? ''), 'PTR', elsewhere.ns);
    expect(onFront.answers).toEqual([]);
  });

  it('hides names and addresses of a network from containers that are not on it', async () => {
    const back = await network(P, 'back');
    const front = await network(P, 'front');
    await served(front.gateway);
    const api = (await nets.store.network(back.name))?.attachments.find((a) => a.aliases.includes('api'));
    expect(api).toBeDefined();
    const web = await container(P, 'web', 1, [{ network: front.name }]);
    const onFront = await nslookup(web.ns, 'api', front.gateway);
    expect(onFront.ips).toEqual([]);
    expect(onFront.out).toMatch(/NXDOMAIN|can't find/);
    // Asking the other network's server does not help: it answers only its own network's containers.
    expect(await sendQuery(back.gateway, 'api', 'A', web.ns, 1500)).toBeUndefined();
    expect((await wget(web.ns, `http://${api?.ipv4}:8080/`)).code).not.toBe(0);
  });

  it('answers nobody but the containers of its network: not the host, not another project', async () => {
    const mine = await network(`${P}m`, 'default');
    const theirs = await network(`${P}t`, 'default');
    await served(mine.gateway);
    await served(theirs.gateway);
    const db = await container(`${P}m`, 'db', 1, [{ network: mine.name }]);
    const member = await container(`${P}m`, 'app', 1, [{ network: mine.name }]);
    const stranger = await container(`${P}t`, 'app', 1, [{ network: theirs.name }]);
    expect((await queryA(mine.gateway, 'db', member.ns)).ips).toEqual(db.ips);
    // Before, the host and any other container were answered as askers on that network: its names listed.
    expect(await sendQuery(mine.gateway, 'db', 'A', undefined, 1500)).toBeUndefined();
    expect(await sendQuery(mine.gateway, 'db', 'A', stranger.ns, 1500)).toBeUndefined();
    // Nor is it an open resolver for them.
    expect(await sendQuery(mine.gateway, 'example.test', 'A', stranger.ns, 1500)).toBeUndefined();
  });

  it('keeps two projects with the same service names apart', async () => {
    const a = await network(`${P}a`, 'default');
    const b = await network(`${P}b`, 'default');
    await served(a.gateway);
    await served(b.gateway);
    const dbA = await container(`${P}a`, 'db', 1, [{ network: a.name }]);
    const dbB = await container(`${P}b`, 'db', 1, [{ network: b.name }]);
    const appA = await container(`${P}a`, 'app', 1, [{ network: a.name }]);
    const appB = await container(`${P}b`, 'app', 1, [{ network: b.name }]);
    expect((await nslookup(appA.ns, 'db', a.gateway)).ips).toEqual(dbA.ips);
    expect((await nslookup(appB.ns, 'db', b.gateway)).ips).toEqual(dbB.ips);
    await httpd(dbB.ns, 'project b');
    expect((await wget(appB.ns, `http://${dbB.ips[0]}:8080/`)).out).toContain('project b');
    expect((await wget(appA.ns, `http://${dbB.ips[0]}:8080/`)).code).not.toBe(0);
  });
});

describe('internal networks', () => {
  it('give no default route and drop forwarding out', async () => {
    const internal = await network(P, 'secret', { internal: true });
    const vault = await container(P, 'vault', 1, [{ network: internal.name }]);
    const routes = await inNs(vault.ns, ['ip', '-j', 'route', 'show', 'default']);
    expect(JSON.parse(routes.out.trim() || '[]')).toEqual([]);
    const rec = await nets.store.network(internal.name);
    const ruleset = (await tryRun('nft', ['list', 'chain', 'inet', firewallTable(), 'forward'])).stdout;
    expect(ruleset).toContain(`iifname "${rec?.bridge}" oifname != "${rec?.bridge}" drop`);
    const nat = (await tryRun('nft', ['list', 'chain', 'inet', firewallTable(), 'postrouting'])).stdout;
    expect(nat).not.toContain(`ip saddr ${internal.subnet} oifname != "${rec?.bridge}" masquerade`);
    // The embedded DNS still answers inside the network but forwards nothing out of it.
    await served(internal.gateway);
    expect((await nslookup(vault.ns, 'vault', internal.gateway)).ips).toEqual(vault.ips);
    expect((await nslookup(vault.ns, 'example.test', internal.gateway)).ips).toEqual([]);
  });
});

describe('published ports', () => {
  it('answer on 127.0.0.1, and a taken host port fails before anything is published', async () => {
    const pub = await network(P, 'pub');
    const site = await container(P, 'site', 1, [{ network: pub.name }]);
    await httpd(site.ns, 'published page');
    const ports = await nets.publish(site.id, [
      { target: 8080, protocol: 'tcp', mode: 'ingress', host_ip: '127.0.0.1' },
    ]);
    expect(ports).toHaveLength(1);
    const hostPort = ports[0]?.hostPort ?? 0;
    expect(hostPort).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${hostPort}/`);
    expect(await res.text()).toContain('published page');

    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const taken = (busy.address() as { port: number }).port;
    const other = await container(P, 'other', 1, [{ network: pub.name }]);
    const attempt = nets.publish(other.id, [
      {
        target: 80,
        published: String(taken + 1 === hostPort ? taken + 2 : taken + 1),
        protocol: 'tcp',
        mode: 'ingress',
      },
      { target: 8080, published: String(taken), protocol: 'tcp', mode: 'ingress' },
    ]);
    await expect(attempt).rejects.toThrow(RuntimeError);
    await expect(attempt).rejects.toThrow(new RegExp(`port ${taken}/tcp .*already in use`));
    busy.close();
    // Nothing of the failed request was published.
    expect((await nets.store.sandbox(other.id))?.ports).toEqual([]);
    // The same port published by cmp is a clash too, even though DNAT holds no socket.
    await expect(
      nets.publish(other.id, [
        { target: 80, published: String(hostPort), host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
      ]),
    ).rejects.toThrow(/already in use/);

    await nets.unpublish(site.id);
    const ruleset = (await tryRun('nft', ['list', 'table', 'inet', firewallTable()])).stdout;
    expect(ruleset).not.toContain(`dport ${hostPort}`);
  });
});

describe('addresses', () => {
  it('gives a static address to its container even when a dynamic one attaches first', async () => {
    const req = netReq(P, 'static', { ipam: { config: [{ subnet: '10.232.7.0/24' }] } }, ['10.232.7.2']);
    made.networks.add(req.name);
    await nets.createNetwork(req);
    const dyn = await container(P, 'dyn', 1, [{ network: req.name }]);
    expect(dyn.ips).toEqual(['10.232.7.3']);
    const fixed = await container(P, 'fixed', 1, [{ network: req.name, ipv4Address: '10.232.7.2' }]);
    expect(fixed.ips).toEqual(['10.232.7.2']);
    const inside = await inNs(fixed.ns, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    expect(inside.out).toContain('10.232.7.2/24');

    await expect(container(P, 'bad', 1, [{ network: req.name, ipv4Address: '10.99.0.5' }])).rejects.toThrow(
      /not a usable address of subnet 10\.232\.7\.0\/24/,
    );
    await expect(container(P, 'dup', 1, [{ network: req.name, ipv4Address: '10.232.7.2' }])).rejects.toThrow(
      /already taken/,
    );
  });

  it('keeps each container its address across recreation, unless sequential assignment is asked for', async () => {
    for (const mode of ['sticky', 'sequential'] as const) {
      const extra = mode === 'sequential' ? { 'x-cmp': { ip_assignment: 'sequential' } } : {};
      const n = await network(P, `swap-${mode}`, extra);
      const a = await container(P, 'a', 1, [{ network: n.name }]);
      const b = await container(P, 'b', 1, [{ network: n.name }]);
      await nets.destroySandbox(a.id);
      await nets.destroySandbox(b.id);
      const b2 = await container(P, 'b', 1, [{ network: n.name }]);
      const a2 = await container(P, 'a', 1, [{ network: n.name }]);
      if (mode === 'sticky') {
        expect([a2.ips, b2.ips]).toEqual([a.ips, b.ips]);
      } else {
        expect([a2.ips, b2.ips]).toEqual([b.ips, a.ips]);
      }
    }
  });

  it('names interfaces eth0, eth1 in attach order and honours mac_address and MTU', async () => {
    const one = await network(P, 'one', { driver_opts: { 'com.docker.network.driver.mtu': '1400' } });
    const two = await network(P, 'two');
    const id = newId();
    made.sandboxes.add(id);
    const sb = await nets.createSandbox(id);
    await nets.attach(
      sb,
      { network: one.name, aliases: ['multi'], macAddress: '02:42:ac:11:00:99' },
      { project: P, service: 'multi', number: 1 },
    );
    await nets.attach(
      sb,
      { network: two.name, aliases: ['multi'] },
      { project: P, service: 'multi', number: 1 },
    );
    const links = (await inNs(nsOf(sb), ['ip', '-o', 'link', 'show'])).out;
    expect(links).toMatch(/eth0@\S+ .*mtu 1400 .*\n?.*02:42:ac:11:00:99/);
    expect(links).toContain('eth1@');
    const resolver = await nets.resolverFor(id, { dns_search: ['example.internal'], dns_opt: ['timeout:2'] });
    expect(resolver.nameservers).toEqual([one.gateway, two.gateway]);
    expect(resolver.search).toEqual(['example.internal']);
    expect(resolver.options).toEqual(['ndots:0', 'timeout:2']);
    expect(await sharedNetnsPath(id, nets.store)).toBe(sb.netnsPath);
    await nets.destroySandbox(id);
    await nets.destroySandbox(id);
    await expect(sharedNetnsPath(id, nets.store)).rejects.toThrow(/no network namespace/);
  });
});

describe('network lifecycle', () => {
  it('finds external networks only when they exist and cleans up a half-made network', async () => {
    await expect(
      nets.createNetwork(netReq(P, 'ext', { external: true, name: `${P}_nowhere` })),
    ).rejects.toThrow(/declared as external, but could not be found/);
    const shared = await network(`${P}x`, 'shared');
    const seen = await nets.createNetwork(netReq(P, 'ext', { external: true, name: shared.name }));
    expect(seen.subnets).toEqual([shared.subnet]);

    // A network whose bridge exists but whose record is gone (a crash half-way) is still removable.
    const half = netReq(P, 'half');
    await nets.createNetwork(half);
    const rec = await nets.store.network(half.name);
    await nets.store.deleteNetwork(half.name);
    await nets.removeNetwork(half.name);
    expect((await tryRun('ip', ['link', 'show', 'dev', rec?.bridge ?? ''])).exitCode).not.toBe(0);

    await expect(
      nets.attach(
        { containerId: newId(), netnsPath: '/nonexistent' },
        { network: `${P}_never`, aliases: [] },
        { project: P, service: 's', number: 1 },
      ),
    ).rejects.toThrow(/does not exist/);
  });
});
