// Kernel objects through iproute2: bridges, namespaces, veth pairs. Each step is one `ip -batch` call so an
// attachment costs two processes, not six.
import { access, writeFile } from 'node:fs/promises';
import { run, tryRun } from '../../../util/exec.js';
import { hostBatch } from './host-batch.js';

async function batch(lines: string[], netns?: string): Promise<void> {
  const args = netns ? ['-n', netns, '-batch', '-'] : ['-batch', '-'];
  await run('ip', args, { input: `${lines.join('\n')}\n` });
}

/** Whether a link of this name exists in the host's namespace, from sysfs: no `ip` process. */
export async function linkExists(name: string): Promise<boolean> {
  return access(`/sys/class/net/${name}`).then(
    () => true,
    () => false,
  );
}

/** Docker's scheme: 02:42 followed by the IPv4 address, so a fixed address keeps a fixed MAC. */
export function macFor(ipv4: string): string {
  const bytes = ipv4.split('.').map((b) => Number(b).toString(16).padStart(2, '0'));
  return ['02', '42', ...bytes].join(':');
}

export async function ensureBridge(
  name: string,
  gateway: string,
  prefix: number,
  mtu: number | undefined,
): Promise<void> {
  if (!(await linkExists(name))) {
    // A bridge without a set MAC takes its lowest port's, so it changes as containers come and go and
    // leaves every container's ARP entry for the gateway (and its DNS server) stale for seconds.
    await batch([
      `link add name ${name}${mtu ? ` mtu ${mtu}` : ''} address ${macFor(gateway)} type bridge`,
      `addr add ${gateway}/${prefix} dev ${name}`,
      `link set dev ${name} up`,
    ]);
  }
  // Published ports are DNATed from 127.0.0.1 with no process in the way; the kernel drops such packets on
  // the way out of an interface unless route_localnet is set on it. It would also accept a container's
  // frames addressed to 127.0.0.1: the firewall's loopback guard (firewall.ts) drops those before routing.
  await writeFile(`/proc/sys/net/ipv4/conf/${name}/route_localnet`, '1').catch(() => undefined);
}

export async function deleteLink(name: string): Promise<void> {
  await tryRun('ip', ['link', 'del', 'dev', name]);
}

/**
 * Deletes host veths and a namespace in one `ip` call (a removal's last network step). -force goes on past
 * a link that is already gone.
 */
export async function deleteLinksAndNetns(links: readonly string[], netns: string): Promise<void> {
  const lines = links.map((l) => `link del dev ${l}`);
  if (await netnsExists(netns)) lines.push(`netns del ${netns}`);
  // Shared with the removals running beside it; a link already gone is no error here.
  await hostBatch(lines, { strict: false });
}

export async function netnsExists(name: string): Promise<boolean> {
  return access(`/run/netns/${name}`).then(
    () => true,
    () => false,
  );
}

/** Makes the namespace with its lo up. A sandbox that gets networks leaves both to its first addVeth. */
export async function ensureNetns(name: string): Promise<void> {
  if (!(await netnsExists(name))) await run('ip', ['netns', 'add', name]);
  await run('ip', ['-n', name, 'link', 'set', 'dev', 'lo', 'up']);
}

export interface VethSpec {
  netns: string;
  hostVeth: string;
  iface: string;
  bridge: string;
  mtu?: number;
  mac?: string;
  /** Address with prefix, e.g. 10.89.0.2/24. */
  address: string;
  /** Default route through this gateway, when the sandbox needs one from this network. */
  defaultVia?: string;
  /** False leaves the container side down (a replacement waiting for its address); see bringUp. */
  up?: boolean;
}

export async function addVeth(v: VethSpec): Promise<void> {
  const mtu = v.mtu ? ` mtu ${v.mtu}` : '';
  const mac = v.mac ? ` address ${v.mac}` : '';
  // A host end left by a crash would make the add fail; checking sysfs costs nothing, an `ip` call does.
  if (await linkExists(v.hostVeth)) await deleteLink(v.hostVeth);
  // A sandbox's first attachment also makes its namespace: one `ip` process fewer per container.
  const make = (await netnsExists(v.netns)) ? [] : [`netns add ${v.netns}`];
  // In one `ip` process with the other containers attaching now (host-batch.ts).
  await hostBatch(
    [
      ...make,
      `link add name ${v.hostVeth}${mtu} type veth peer name ${v.iface} netns ${v.netns}${mtu}${mac}`,
      `link set dev ${v.hostVeth} master ${v.bridge} up`,
      // A container reaching its own published port through a host address is DNATed back to itself;
      // with br_netfilter (dockerd loads it) that frame leaves by the port it came in on.
      `link set dev ${v.hostVeth} type bridge_slave hairpin on`,
    ],
    { strict: true },
  );
  // lo first: a sandbox's first attachment is what brings it up (ensureNetns leaves it to this).
  const inside = ['link set dev lo up', `addr add ${v.address} dev ${v.iface}`];
  if (v.up !== false) {
    inside.push(`link set dev ${v.iface} up`);
    if (v.defaultVia) inside.push(`route add default via ${v.defaultVia} dev ${v.iface}`);
  }
  await batch(inside, v.netns);
}

/** Brings up an interface addVeth left down; the default route needs the link up first. */
export async function bringUp(netns: string, iface: string, defaultVia: string | undefined): Promise<void> {
  const lines = [`link set dev ${iface} up`];
  if (defaultVia) lines.push(`route add default via ${defaultVia} dev ${iface}`);
  await batch(lines, netns);
}

export async function hasDefaultRoute(netns: string): Promise<boolean> {
  const res = await tryRun('ip', ['-n', netns, '-j', 'route', 'show', 'default']);
  return res.exitCode === 0 && res.stdout.trim() !== '' && res.stdout.trim() !== '[]';
}

/** Host routes that a new subnet must not overlap (cmp's own bridges are accounted for in state). */
export async function hostRoutes(): Promise<{ dst: string; dev: string }[]> {
  const res = await tryRun('ip', ['-j', '-4', 'route', 'show', 'table', 'all']);
  if (res.exitCode !== 0) return [];
  const routes = JSON.parse(res.stdout || '[]') as { dst?: string; dev?: string; type?: string }[];
  return routes
    .filter((r) => r.dst && r.dst !== 'default' && (r.type === undefined || r.type === 'unicast'))
    .map((r) => ({ dst: r.dst ?? '', dev: r.dev ?? '' }));
}

export async function enableForwarding(): Promise<void> {
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1').catch(() => undefined);
}
