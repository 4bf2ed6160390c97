// `cmp network ls|inspect|create|connect|disconnect|rm|prune`: the embedded runtime's bridge networks,
// with docker's names, flags and output shapes.
import type { GlobalOptions } from '../globals.js';
import { RuntimeError, UsageError, isCmpError } from '../../util/errors.js';
import { LABEL } from '../../runtime/types.js';
import type { LinuxNetworks } from '../../runtime/embedded/net/manager.js';
import type { NetworkRecord } from '../../runtime/embedded/net/state.js';
import type { ContainerMeta } from '../../runtime/embedded/containers/meta.js';
import { danglingFilter, dockerTime, labelString, labelsMatch, parseFilters } from '../format/resources.js';
import { renderTable } from '../format/table.js';
import { embeddedOnly } from './image.js';
import { labelsOf } from './volume.js';
import { dispatch } from './subcommands.js';

type Opts = Record<string, unknown>;

export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  await embeddedOnly(g, 'network');
  return dispatch('network', action, {
    ls: () => ls(opts),
    inspect: () => inspect(opts, rest),
    create: () => create(opts, rest),
    connect: () => connect(opts, rest),
    disconnect: () => disconnect(rest),
    rm: () => rm(rest),
    prune: () => prune(opts),
  });
}

async function networks(): Promise<LinuxNetworks> {
  const { LinuxNetworks } = await import('../../runtime/embedded/net/manager.js');
  return new LinuxNetworks();
}

async function containers(): Promise<ContainerMeta[]> {
  const { listMeta } = await import('../../runtime/embedded/containers/meta.js');
  return listMeta();
}

/** Attachments whose sandbox still exists: a record left by a crash does not count as a user. */
async function liveAttachments(
  net: LinuxNetworks,
  rec: NetworkRecord,
): Promise<NetworkRecord['attachments']> {
  const out: NetworkRecord['attachments'] = [];
  for (const a of rec.attachments) if (await net.store.sandbox(a.containerId)) out.push(a);
  return out;
}

async function inUse(net: LinuxNetworks, rec: NetworkRecord, metas: ContainerMeta[]): Promise<boolean> {
  if ((await liveAttachments(net, rec)).length > 0) return true;
  return metas.some((m) => m.networks.some((n) => n.network === rec.name));
}

async function ls(opts: Opts): Promise<number> {
  const net = await networks();
  const filters = parseFilters(opts.filter, ['dangling', 'driver', 'id', 'label', 'name'], 'network ls');
  const dangling = danglingFilter(filters);
  const metas = await containers();
  const list: NetworkRecord[] = [];
  for (const rec of await net.store.networks()) {
    if (!labelsMatch(rec.labels, filters.get('label'))) continue;
    const names = filters.get('name');
    if (names && !names.some((n) => rec.name.includes(n))) continue;
    const ids = filters.get('id');
    if (ids && !ids.some((i) => rec.id.startsWith(i))) continue;
    const drivers = filters.get('driver');
    if (drivers && !drivers.includes(rec.driver)) continue;
    if (dangling !== undefined && dangling === (await inUse(net, rec, metas))) continue;
    list.push(rec);
  }
  list.sort((a, b) => a.name.localeCompare(b.name));
  if (opts.quiet) {
    process.stdout.write(list.map((n) => `${n.id.slice(0, 12)}\n`).join(''));
    return 0;
  }
  if (opts.format === 'json') {
    for (const n of list) {
      process.stdout.write(
        `${JSON.stringify({
          CreatedAt: dockerTime(n.createdAt),
          Driver: n.driver,
          ID: n.id.slice(0, 12),
          IPv6: 'false',
          Internal: String(n.internal),
          Labels: labelString(n.labels),
          Name: n.name,
          Scope: 'local',
        })}\n`,
      );
    }
    return 0;
  }
  process.stdout.write(
    renderTable(
      ['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'],
      list.map((n) => [n.id.slice(0, 12), n.name, n.driver, 'local']),
    ),
  );
  return 0;
}

async function findNetwork(net: LinuxNetworks, ref: string): Promise<NetworkRecord | undefined> {
  const byName = await net.store.network(ref);
  if (byName) return byName;
  const all = await net.store.networks();
  const matches = all.filter((n) => n.id === ref || (ref.length >= 4 && n.id.startsWith(ref)));
  if (matches.length > 1) throw new RuntimeError(`network id prefix ${ref} is ambiguous`);
  return matches[0];
}

async function inspect(opts: Opts, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('network inspect needs at least one network', {
      hint: 'cmp network inspect NAME...',
      exitCode: 2,
    });
  const net = await networks();
  const metas = new Map((await containers()).map((m) => [m.id, m]));
  const out: unknown[] = [];
  let code = 0;
  for (const ref of args) {
    const rec = await findNetwork(net, ref);
    if (!rec) {
      process.stderr.write(`Error: No such network: ${ref}\n`);
      code = 1;
      continue;
    }
    const attached: Record<string, unknown> = {};
    for (const a of await liveAttachments(net, rec)) {
      attached[a.containerId] = {
        Name: metas.get(a.containerId)?.name ?? a.aliases[0] ?? '',
        EndpointID: a.hostVeth,
        MacAddress: a.mac ?? '',
        IPv4Address: `${a.ipv4}/${rec.subnet.split('/')[1] ?? ''}`,
        IPv6Address: '',
      };
    }
    out.push({
      Name: rec.name,
      Id: rec.id,
      Created: new Date(rec.createdAt).toISOString(),
      Scope: 'local',
      Driver: rec.driver,
      EnableIPv6: false,
      IPAM: {
        Driver: 'default',
        Options: {},
        Config: [
          { Subnet: rec.subnet, Gateway: rec.gateway, ...(rec.ipRange ? { IPRange: rec.ipRange } : {}) },
        ],
      },
      Internal: rec.internal,
      Attachable: false,
      Ingress: false,
      Containers: attached,
      Options: rec.mtu ? { 'com.docker.network.driver.mtu': String(rec.mtu) } : {},
      Labels: rec.labels,
    });
  }
  if (opts.format === 'json') for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
  return code;
}

async function create(opts: Opts, args: string[]): Promise<number> {
  const [name] = args;
  if (!name || args.length > 1)
    throw new UsageError('network create needs one name', {
      hint: 'cmp network create [OPTIONS] NAME',
      exitCode: 2,
    });
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new UsageError(`invalid network name "${name}"`, {
      hint: 'letters, digits, "_", "." and "-", starting with a letter or digit',
      exitCode: 1,
    });
  }
  const net = await networks();
  if (await net.store.network(name)) throw new RuntimeError(`network with name ${name} already exists`);
  const subnet = opts.subnet as string | undefined;
  const ipRange = opts.ipRange as string | undefined;
  const gateway = opts.gateway as string | undefined;
  if ((ipRange || gateway) && !subnet) {
    throw new UsageError('--ip-range and --gateway need --subnet', { exitCode: 1 });
  }
  const labels = labelsOf(opts.label);
  const state = await net.createNetwork({
    name,
    key: name,
    project: '',
    labels,
    config: {
      name,
      driver: (opts.driver as string | undefined) ?? 'bridge',
      internal: Boolean(opts.internal),
      labels,
      ...(subnet
        ? {
            ipam: {
              config: [
                { subnet, ...(ipRange ? { ip_range: ipRange } : {}), ...(gateway ? { gateway } : {}) },
              ],
            },
          }
        : {}),
    },
  });
  process.stdout.write(`${state.id}\n`);
  return 0;
}

async function connect(opts: Opts, args: string[]): Promise<number> {
  const [network, container] = args;
  if (!network || !container || args.length > 2)
    throw new UsageError('network connect needs a network and a container', {
      hint: 'cmp network connect [--ip A] [--alias X]... NETWORK CONTAINER',
      exitCode: 2,
    });
  const net = await networks();
  const { connectContainer } = await import('../../runtime/embedded/net/connect.js');
  const aliases = Array.isArray(opts.alias) ? (opts.alias as unknown[]).map(String) : [];
  await connectContainer(net, network, container, {
    aliases,
    ...(typeof opts.ip === 'string' ? { ipv4Address: opts.ip } : {}),
  });
  return 0;
}

async function disconnect(args: string[]): Promise<number> {
  const [network, container] = args;
  if (!network || !container || args.length > 2)
    throw new UsageError('network disconnect needs a network and a container', {
      hint: 'cmp network disconnect NETWORK CONTAINER',
      exitCode: 2,
    });
  const net = await networks();
  const { disconnectContainer } = await import('../../runtime/embedded/net/connect.js');
  await disconnectContainer(net, network, container);
  return 0;
}

async function rm(args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('network rm needs at least one network', {
      hint: 'cmp network rm NAME...',
      exitCode: 2,
    });
  const net = await networks();
  const metas = await containers();
  let code = 0;
  for (const ref of args) {
    try {
      const rec = await findNetwork(net, ref);
      if (!rec) throw new RuntimeError(`no such network: ${ref}`);
      const live = await liveAttachments(net, rec);
      const users = [
        ...new Set([
          ...live.map((a) => metas.find((m) => m.id === a.containerId)?.name ?? a.containerId.slice(0, 12)),
          ...metas.filter((m) => m.networks.some((n) => n.network === rec.name)).map((m) => m.name),
        ]),
      ];
      if (users.length > 0) {
        throw new RuntimeError(`network ${rec.name} has active endpoints: ${users.join(', ')}`, {
          hint: 'disconnect or remove those containers first',
        });
      }
      await net.removeNetwork(rec.name);
      process.stdout.write(`${ref}\n`);
    } catch (e) {
      if (!isCmpError(e)) throw e;
      process.stderr.write(`${e.format()}\n`);
      code = 1;
    }
  }
  return code;
}

async function prune(opts: Opts): Promise<number> {
  const net = await networks();
  const filters = parseFilters(opts.filter, ['label'], 'network prune');
  const metas = await containers();
  const deleted: string[] = [];
  for (const rec of await net.store.networks()) {
    if (!labelsMatch(rec.labels, filters.get('label'))) continue;
    if (await inUse(net, rec, metas)) continue;
    // A project's network stays while any of its containers exists, even one not on it.
    if (rec.project && metas.some((m) => m.labels[LABEL.project] === rec.project)) continue;
    await net.removeNetwork(rec.name);
    deleted.push(rec.name);
  }
  if (deleted.length > 0) process.stdout.write(`Deleted Networks:\n${deleted.map((d) => `${d}\n`).join('')}`);
  return 0;
}
