// `cmp network connect|disconnect` on a running container: its existing sandbox gets (or loses) one
// more veth, the state files change (so the DNS server answers the new names at once), and the
// container's record and resolv.conf follow, as the executor would have written them at create.
import { writeFile } from 'node:fs/promises';
import { RuntimeError } from '../../../util/errors.js';
import { LABEL, type ContainerNetworkState } from '../../types.js';
import { resolvConf } from '../containers/etc-files.js';
import { listMeta, updateMeta, type ContainerMeta } from '../containers/meta.js';
import { etcFile } from '../containers/paths.js';
import { observe } from '../containers/status.js';
import type { LinuxNetworks } from './manager.js';
import type { Sandbox } from './types.js';

export interface ConnectOptions {
  ipv4Address?: string;
  aliases: string[];
}

/** By exact name, exact id, or unique id prefix. */
export async function findContainer(ref: string): Promise<ContainerMeta> {
  const all = await listMeta();
  const exact = all.find((c) => c.name === ref || c.id === ref);
  if (exact) return exact;
  const byPrefix = ref.length >= 4 ? all.filter((c) => c.id.startsWith(ref)) : [];
  if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
  if (byPrefix.length > 1) throw new RuntimeError(`container id prefix ${ref} is ambiguous`);
  throw new RuntimeError(`no such container: ${ref}`);
}

async function runningSandbox(net: LinuxNetworks, meta: ContainerMeta): Promise<Sandbox> {
  const state = await observe(meta);
  if (state.status !== 'running' && state.status !== 'paused') {
    throw new RuntimeError(`container ${meta.name} is not running`, { hint: 'start it first' });
  }
  const sb = meta.sandbox ? await net.store.sandbox(meta.id) : undefined;
  if (!sb) {
    throw new RuntimeError(`container ${meta.name} has no network sandbox of its own`, {
      hint: 'containers with network_mode host, none or service:/container: cannot join networks',
    });
  }
  return { containerId: meta.id, netnsPath: sb.netnsPath };
}

async function rewriteResolv(net: LinuxNetworks, meta: ContainerMeta): Promise<void> {
  const s = meta.service;
  const dns = {
    ...(s?.dns ? { dns: s.dns } : {}),
    ...(s?.dns_search ? { dns_search: s.dns_search } : {}),
    ...(s?.dns_opt ? { dns_opt: s.dns_opt } : {}),
  };
  const resolver = await net.resolverFor(meta.id, dns);
  // Written in place (same inode): the file is bind-mounted into the running container.
  await writeFile(etcFile(meta.id, 'resolv.conf'), resolvConf(resolver, dns));
}

export async function connectContainer(
  net: LinuxNetworks,
  network: string,
  containerRef: string,
  opts: ConnectOptions,
): Promise<ContainerNetworkState> {
  const meta = await findContainer(containerRef);
  if (!(await net.store.network(network))) throw new RuntimeError(`network ${network} not found`);
  if (meta.networks.some((n) => n.network === network)) {
    throw new RuntimeError(`container ${meta.name} is already connected to network ${network}`);
  }
  const sandbox = await runningSandbox(net, meta);
  const identity = {
    project: meta.labels[LABEL.project] ?? '',
    service: meta.labels[LABEL.service] ?? meta.name,
    number: Number(meta.labels[LABEL.number] ?? 1),
  };
  const res = await net.attach(
    sandbox,
    {
      network,
      aliases: [meta.name, ...opts.aliases, meta.id.slice(0, 12)],
      ...(opts.ipv4Address ? { ipv4Address: opts.ipv4Address } : {}),
    },
    identity,
  );
  const state: ContainerNetworkState = {
    network: res.network,
    ...(res.ipv4Address ? { ipv4Address: res.ipv4Address } : {}),
    ...(res.macAddress ? { macAddress: res.macAddress } : {}),
    aliases: res.aliases,
  };
  await updateMeta(meta.id, (m) => {
    m.networks = [...m.networks.filter((n) => n.network !== network), state];
  });
  await rewriteResolv(net, meta);
  return state;
}

export async function disconnectContainer(
  net: LinuxNetworks,
  network: string,
  containerRef: string,
): Promise<void> {
  const meta = await findContainer(containerRef);
  const rec = await net.store.network(network);
  if (!rec) throw new RuntimeError(`network ${network} not found`);
  if (!rec.attachments.some((a) => a.containerId === meta.id)) {
    throw new RuntimeError(`container ${meta.name} is not connected to network ${network}`);
  }
  const sb = await net.store.sandbox(meta.id);
  await net.detach({ containerId: meta.id, netnsPath: sb?.netnsPath ?? '' }, network);
  await updateMeta(meta.id, (m) => {
    m.networks = m.networks.filter((n) => n.network !== network);
  });
  await rewriteResolv(net, meta);
}
