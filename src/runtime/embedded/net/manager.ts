// LinuxNetworks: the embedded runtime's networks. State files are the truth; kernel objects and the
// nftables table are made to match them, under one lock shared by every cmp process.
import { RuntimeError } from '../../../util/errors.js';
import { withLock } from '../../../util/lock.js';
import type { PortConfig } from '../../../model/types.js';
import type { NetworkCreateRequest, NetworkState, PublishedPort } from '../../types.js';
import { Firewall } from './firewall.js';
import { assignAddress, checkStatic, defaultPool, planAddressing, type Pool } from './ipam.js';
import { mustCidr, parseCidr } from './ipv4.js';
import {
  addVeth,
  bringUp,
  deleteLink,
  deleteLinksAndNetns,
  enableForwarding,
  ensureBridge,
  ensureNetns,
  hasDefaultRoute,
  hostRoutes,
  linkExists,
  macFor,
  netnsExists,
} from './link.js';
import { bridgeName, hostVethName, netnsName, netnsPath, networkId } from './names.js';
import { bindingsOf, resolveBindings } from './ports.js';
import { PortProxy } from './proxy.js';
import { hostResolv } from './resolvconf.js';
import {
  NetStateStore,
  type AttachmentRecord,
  type IpAssignment,
  type NetworkRecord,
  type PublishedRecord,
  type SandboxRecord,
} from './state.js';
import type { AttachResult, DnsOptions, NetworkBackend, ResolverConfig, Sandbox } from './types.js';
import type { NetworkAttachRequest } from '../../types.js';

export interface LinuxNetworksOptions {
  store?: NetStateStore;
  pool?: Pool;
  firewall?: Firewall;
  warn?: (message: string) => void;
  /** Where host resolver settings come from (tests point this at a fixture). */
  resolvConf?: string;
}

const MTU_OPT = 'com.docker.network.driver.mtu';
/** Host-wide, not per state root (a lock name, not a file; util/lock.ts): every instance picks subnets under it. */
const SUBNET_LOCK = 'cmp-subnets';

function ipAssignmentOf(config: NetworkCreateRequest['config']): IpAssignment {
  const ext = config['x-cmp'];
  if (ext && typeof ext === 'object' && (ext as Record<string, unknown>).ip_assignment === 'sequential') {
    return 'sequential';
  }
  return 'sticky';
}

function mtuOf(name: string, opts: Record<string, string> | undefined): number | undefined {
  const raw = opts?.[MTU_OPT];
  if (raw === undefined) return undefined;
  const mtu = Number(raw);
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) {
    throw new RuntimeError(`network ${name}: ${MTU_OPT}=${raw} is not a valid MTU`, {
      hint: 'use 68..65535',
    });
  }
  return mtu;
}

function toState(rec: NetworkRecord): NetworkState {
  return {
    id: rec.id,
    name: rec.name,
    labels: rec.labels,
    driver: rec.driver,
    internal: rec.internal,
    subnets: [rec.subnet],
  };
}

function identityKey(id: { project: string; service: string; number: number }): string {
  return `${id.project}/${id.service}/${id.number}`;
}

function prefixOf(subnet: string): number {
  return mustCidr(subnet, 'subnet').prefix;
}

export class LinuxNetworks implements NetworkBackend {
  /** Firewall renders queued by createNetwork and not yet awaited (see queueFirewall). */
  private firewallDue: Promise<void> | undefined;
  readonly store: NetStateStore;
  private readonly firewall: Firewall;
  private readonly pool: Pool | undefined;
  private readonly resolvConf: string | undefined;
  private readonly proxies = new Map<string, PortProxy>();

  constructor(opts: LinuxNetworksOptions = {}) {
    this.store = opts.store ?? new NetStateStore();
    this.firewall = opts.firewall ?? new Firewall(opts.warn);
    this.pool = opts.pool;
    this.resolvConf = opts.resolvConf;
  }

  async createNetwork(req: NetworkCreateRequest): Promise<NetworkState> {
    const cfg = req.config;
    if (cfg.external) {
      const rec = await this.store.network(cfg.name || req.name);
      if (!rec) {
        throw new RuntimeError(
          `network ${cfg.name || req.name} declared as external, but could not be found`,
          {
            hint: 'create it first with `cmp network create` or by starting the project that owns it',
          },
        );
      }
      return toState(rec);
    }
    if (cfg.driver && cfg.driver !== 'bridge') {
      throw new RuntimeError(
        `network ${req.name}: driver "${cfg.driver}" is not supported by the embedded runtime`,
        {
          hint: 'only the bridge driver is',
        },
      );
    }
    return this.store.locked(async () => {
      const existing = await this.store.network(req.name);
      if (existing) return toState(await this.refresh(existing, req.reservedAddresses ?? []));
      // Another cmp instance (another state root) has its own records and lock: its bridges are seen as the
      // routes they make, and the host-wide lock keeps two instances from choosing the same subnet at once.
      return withLock(SUBNET_LOCK, () => this.createUnderLocks(req, cfg));
    });
  }

  private async createUnderLocks(
    req: NetworkCreateRequest,
    cfg: NetworkCreateRequest['config'],
  ): Promise<NetworkState> {
    const [networks, routes, memory] = await Promise.all([
      this.store.networks(),
      hostRoutes(),
      this.store.memory(),
    ]);
    const taken = networks.map((n) => ({ cidr: mustCidr(n.subnet, 'subnet'), owner: `network ${n.name}` }));
    const own = new Set(networks.map((n) => n.bridge));
    for (const r of routes) {
      const c = parseCidr(r.dst);
      if (c && !own.has(r.dev)) {
        const owner = r.dev.startsWith('cmpb') ? 'another cmp state root' : 'host route';
        taken.push({ cidr: c, owner: `${owner} on ${r.dev}` });
      }
    }
    const addr = planAddressing(
      req.name,
      cfg.ipam?.config,
      this.pool ?? defaultPool(),
      taken,
      memory.subnets[req.name],
    );
    const createdAt = Date.now();
    const rec: NetworkRecord = {
      id: networkId(req.name, createdAt),
      name: req.name,
      key: req.key,
      project: req.project,
      labels: req.labels,
      driver: 'bridge',
      bridge: bridgeName(req.name),
      subnet: addr.subnet,
      gateway: addr.gateway,
      ipRange: addr.ipRange,
      internal: cfg.internal === true,
      mtu: mtuOf(req.name, cfg.driver_opts),
      ipAssignment: ipAssignmentOf(cfg),
      reserved: [...addr.aux],
      attachments: [],
      createdAt,
    };
    for (const a of req.reservedAddresses ?? []) {
      const ip = checkStatic(rec, a);
      if (!rec.reserved.includes(ip)) rec.reserved.push(ip);
    }
    // Recorded before the bridge exists, so removeNetwork can clean up whatever a failure leaves.
    await this.store.saveNetwork(rec);
    memory.subnets[req.name] = rec.subnet;
    await this.store.saveMemory(memory);
    // The bridge (and so its route) exists before the host-wide lock is released.
    await this.applyNetwork(rec, { deferFirewall: true });
    return toState(rec);
  }

  private async applyNetwork(rec: NetworkRecord, opts: { deferFirewall?: boolean } = {}): Promise<void> {
    await ensureBridge(rec.bridge, rec.gateway, prefixOf(rec.subnet), rec.mtu);
    if (!rec.internal) await enableForwarding();
    if (opts.deferFirewall) this.queueFirewall();
    else await this.syncFirewall();
  }

  /**
   * A new network's rules are rendered once the caller's lock is released, while the project's containers
   * are made: an nftables commit alone takes ~15 ms, and nothing reaches the bridge before a container
   * starts, which waits for flush(). Queued on the same in-process lock, so any later change (a removal
   * after a failed create) renders after it.
   */
  private queueFirewall(): void {
    const due = this.store.locked(() => this.syncFirewall());
    const before = this.firewallDue;
    const all = before ? Promise.all([before, due]).then(() => undefined) : due;
    // Surfaced by flush(); never an unhandled rejection meanwhile.
    all.catch(() => undefined);
    this.firewallDue = all;
  }

  /** Renders this instance's firewall again from its state (queued like a create's; flush() waits). */
  reassert(): void {
    this.queueFirewall();
  }

  async flush(): Promise<void> {
    const due = this.firewallDue;
    if (!due) return;
    try {
      await due;
    } finally {
      if (this.firewallDue === due) this.firewallDue = undefined;
    }
  }

  /** An existing network asked for again: take new static reservations, remake a bridge lost to a reboot. */
  private async refresh(rec: NetworkRecord, reserved: string[]): Promise<NetworkRecord> {
    let changed = false;
    for (const a of reserved) {
      const ip = checkStatic(rec, a);
      if (!rec.reserved.includes(ip)) {
        rec.reserved.push(ip);
        changed = true;
      }
    }
    if (changed) await this.store.saveNetwork(rec);
    if (!(await linkExists(rec.bridge))) await this.applyNetwork(rec, { deferFirewall: true });
    // Re-asserted even when nothing changed here: a rule set someone deleted comes back with the next up.
    else this.queueFirewall();
    return rec;
  }

  async removeNetwork(name: string): Promise<void> {
    await this.store.locked(async () => {
      const rec = await this.store.network(name);
      if (rec) {
        const live: AttachmentRecord[] = [];
        for (const a of rec.attachments) if (await this.store.sandbox(a.containerId)) live.push(a);
        if (live.length > 0) {
          throw new RuntimeError(`network ${name} still has containers attached`, {
            hint: `remove ${live.map((a) => a.aliases[1] ?? a.containerId).join(', ')} first`,
          });
        }
        for (const a of rec.attachments) await deleteLink(a.hostVeth);
      }
      await deleteLink(rec?.bridge ?? bridgeName(name));
      await this.store.deleteNetwork(name);
      await this.syncFirewall();
    });
  }

  async listNetworks(project: string): Promise<NetworkState[]> {
    return (await this.store.networks()).filter((n) => n.project === project).map(toState);
  }

  async inspectNetwork(name: string): Promise<NetworkState | undefined> {
    const rec = await this.store.network(name);
    return rec && toState(rec);
  }

  async createSandbox(containerId: string, opts?: { attachments: number }): Promise<Sandbox> {
    const rec = await this.store.locked(async () => {
      const existing = await this.store.sandbox(containerId);
      const made: SandboxRecord = existing ?? {
        containerId,
        netns: netnsName(containerId),
        netnsPath: netnsPath(containerId),
        ports: [],
      };
      await this.store.saveSandbox(made);
      return made;
    });
    // Outside the lock: the namespace is this container's alone, and other containers' creates need not
    // wait for it. The record came first, so a failure here is cleaned up by destroySandbox.
    // With networks to attach, the first attachment makes the namespace in the same `ip` call as its veth.
    if ((opts?.attachments ?? 0) === 0) await ensureNetns(rec.netns);
    return { containerId, netnsPath: rec.netnsPath };
  }

  async attach(
    sandbox: Sandbox,
    req: NetworkAttachRequest,
    identity: { project: string; service: string; number: number },
  ): Promise<AttachResult> {
    const made = await this.store.locked(async () => {
      const id = sandbox.containerId;
      const net = await this.store.network(req.network);
      if (!net) {
        throw new RuntimeError(`network ${req.network} does not exist`, {
          hint: 'networks are created before the containers that use them; run `cmp up` to create it',
        });
      }
      const sb = await this.store.sandbox(id);
      if (!sb)
        throw new RuntimeError(`container ${id} has no sandbox`, { hint: 'createSandbox comes first' });
      const already = net.attachments.find((a) => a.containerId === id);
      if (already) {
        const result: AttachResult = {
          network: net.name,
          ipv4Address: already.ipv4,
          macAddress: already.mac,
          aliases: already.aliases,
        };
        return { result, link: undefined };
      }
      // A one-off (`cmp run`) has the service's project, service and number but answers only to its own
      // name: it must neither take over nor overwrite the address remembered for the service's container.
      const key = req.aliases.some((a) => a.toLowerCase() === identity.service.toLowerCase())
        ? identityKey(identity)
        : undefined;
      const memory = await this.store.memory();
      const remembered = (memory.addresses[net.name] ??= {});
      const got = assignAddress(net, remembered, { containerId: id, identity: key, ipv4: req.ipv4Address });
      // A predecessor without a sandbox is a stale record, not a live container: nothing to wait for.
      const waitsFor = got.after && (await this.store.sandbox(got.after)) ? got.after : undefined;
      const mine = (await this.store.networks()).flatMap((n) =>
        n.attachments.filter((a) => a.containerId === id),
      );
      const used = new Set(mine.map((a) => a.iface));
      let index = 0;
      while (used.has(`eth${index}`)) index++;
      if (
        req.interfaceName &&
        (used.has(req.interfaceName) || !/^[a-zA-Z0-9_.-]{1,15}$/.test(req.interfaceName))
      ) {
        throw new RuntimeError(
          `network ${net.name}: interface_name "${req.interfaceName}" is taken or not a valid name`,
        );
      }
      const att: AttachmentRecord = {
        containerId: id,
        iface: req.interfaceName ?? `eth${index}`,
        hostVeth: hostVethName(id, net.name),
        ipv4: got.ipv4,
        // An IP-derived MAC: a container given its sticky address back keeps its MAC, so neighbours'
        // ARP caches stay right across a recreate.
        mac: req.macAddress ?? macFor(got.ipv4),
        aliases: [...new Set(req.aliases.map((a) => a.toLowerCase()))],
        identity: key,
      };
      // A waiting interface has no route yet but is promised the default one.
      const routeClaimed = mine.some((a) => a.waitsFor && a.defaultVia);
      // Only cmp's own attachments add routes: a sandbox with none has no default route to ask `ip` about.
      const defaultVia =
        !net.internal && !routeClaimed && !(mine.length > 0 && (await hasDefaultRoute(sb.netns)))
          ? net.gateway
          : undefined;
      if (waitsFor) {
        att.waitsFor = waitsFor;
        if (defaultVia) att.defaultVia = defaultVia;
      }
      // Saved first: a failure half-way leaves a record that detach/destroySandbox can clean up.
      net.attachments.push(att);
      if (req.ipv4Address && !net.reserved.includes(got.ipv4)) net.reserved.push(got.ipv4);
      await this.store.saveNetwork(net);
      if (key) {
        remembered[key] = got.ipv4;
        await this.store.saveMemory(memory);
      }
      const link = {
        netns: sb.netns,
        hostVeth: att.hostVeth,
        iface: att.iface,
        bridge: net.bridge,
        mtu: net.mtu,
        mac: att.mac,
        address: `${got.ipv4}/${prefixOf(net.subnet)}`,
        defaultVia,
        up: !waitsFor,
      };
      const result: AttachResult = {
        network: net.name,
        ipv4Address: got.ipv4,
        macAddress: att.mac,
        gateway: net.gateway,
        aliases: att.aliases,
        note: got.note,
      };
      if (waitsFor) {
        // Wired under the lock: the predecessor's removal, which brings this interface up, must find it.
        await addVeth(link);
        return { result, link: undefined };
      }
      return { link, result };
    });
    // The address is decided and recorded under the lock; wiring the veth pair touches only this
    // container's links, so it runs outside it and containers attach in parallel.
    if (made.link) await addVeth(made.link);
    return made.result;
  }

  async detach(sandbox: Sandbox, network: string): Promise<void> {
    await this.store.locked(async () => {
      const net = await this.store.network(network);
      const att = net?.attachments.find((a) => a.containerId === sandbox.containerId);
      if (!net || !att) return;
      await deleteLink(att.hostVeth);
      net.attachments = net.attachments.filter((a) => a !== att);
      await this.handOver(net, sandbox.containerId);
      await this.store.saveNetwork(net);
    });
  }

  /**
   * The container `gone` has left the network: replacements waiting for its address bring their
   * interfaces up (and so appear in DNS). Must run under the lock; the caller saves `net`.
   */
  private async handOver(net: NetworkRecord, gone: string): Promise<void> {
    for (const a of net.attachments) {
      if (a.waitsFor !== gone) continue;
      const sb = await this.store.sandbox(a.containerId);
      if (sb) {
        const via = a.defaultVia && !(await hasDefaultRoute(sb.netns)) ? a.defaultVia : undefined;
        await bringUp(sb.netns, a.iface, via);
      }
      delete a.waitsFor;
      delete a.defaultVia;
    }
  }

  async restoreSandbox(containerId: string): Promise<void> {
    await this.store.locked(async () => {
      const sb = await this.store.sandbox(containerId);
      if (!sb || (await netnsExists(sb.netns))) return;
      const mine = (await this.store.networks())
        .flatMap((net) =>
          net.attachments.filter((a) => a.containerId === containerId).map((a) => ({ net, a })),
        )
        .sort((x, y) => Number(x.a.iface.slice(3)) - Number(y.a.iface.slice(3)));
      if (mine.length === 0) {
        await ensureNetns(sb.netns);
        return;
      }
      let routed = false;
      for (const { net, a } of mine) {
        if (!(await linkExists(net.bridge))) await this.applyNetwork(net);
        // As attach did: the first network that leads out gives the default route.
        const defaultVia = !routed && !net.internal ? net.gateway : undefined;
        if (defaultVia) routed = true;
        await addVeth({
          netns: sb.netns,
          hostVeth: a.hostVeth,
          iface: a.iface,
          bridge: net.bridge,
          mtu: net.mtu,
          ...(a.mac ? { mac: a.mac } : {}),
          address: `${a.ipv4}/${prefixOf(net.subnet)}`,
          ...(defaultVia ? { defaultVia } : {}),
          up: !a.waitsFor,
        });
      }
    });
  }

  async destroySandbox(containerId: string): Promise<void> {
    await this.stopProxy(containerId);
    // Links and the namespace are deleted after the lock is released, so the removals of a large `down`
    // overlap instead of queueing on the lock. Only a link whose address a waiting replacement takes over
    // goes first, inside the lock, so that address is never on two links at once.
    const rest = await this.store.locked(async () => {
      const sb = await this.store.sandbox(containerId);
      const links: string[] = [];
      for (const net of await this.store.networks()) {
        const mine = net.attachments.filter((a) => a.containerId === containerId);
        if (mine.length === 0) continue;
        if (net.attachments.some((a) => a.waitsFor === containerId)) {
          for (const a of mine) await deleteLink(a.hostVeth);
        } else {
          links.push(...mine.map((a) => a.hostVeth));
        }
        net.attachments = net.attachments.filter((a) => a.containerId !== containerId);
        await this.handOver(net, containerId);
        await this.store.saveNetwork(net);
      }
      await this.store.deleteSandbox(containerId);
      if (sb && sb.ports.length > 0) await this.syncFirewall();
      return { links, netns: sb?.netns ?? netnsName(containerId) };
    });
    await deleteLinksAndNetns(rest.links, rest.netns);
  }

  recordPath(kind: 'network' | 'sandbox', name: string): string {
    return kind === 'network' ? this.store.netPath(name) : this.store.sandboxPath(name);
  }

  async recordState(kind: 'network' | 'sandbox', name: string): Promise<'ok' | 'none' | 'lost'> {
    if (kind === 'network') {
      if (await this.store.network(name)) return 'ok';
      return (await linkExists(bridgeName(name))) ? 'lost' : 'none';
    }
    if (await this.store.sandbox(name)) return 'ok';
    // A sandbox record is written before its namespace is made and deleted after (createSandbox,
    // destroySandbox): a container whose record says it has one, without the record, lost it.
    return 'lost';
  }

  async resolverFor(containerId: string, opts: DnsOptions = {}): Promise<ResolverConfig> {
    const host = hostResolv(this.resolvConf);
    const nets = (await this.store.networks()).filter((n) =>
      n.attachments.some((a) => a.containerId === containerId),
    );
    const search = opts.dns_search ?? host.search;
    if (nets.length === 0) {
      // host or none mode: the host's resolvers, or the service's own.
      return { nameservers: opts.dns ?? host.nameservers, search, options: opts.dns_opt ?? host.options };
    }
    if (opts.dns) {
      // Like Docker: the embedded server stays the container's resolver and forwards to these.
      await this.store.locked(async () => {
        const sb = await this.store.sandbox(containerId);
        if (sb) await this.store.saveSandbox({ ...sb, dnsServers: opts.dns });
      });
    }
    const options = opts.dns_opt ?? host.options.filter((o) => !o.startsWith('ndots'));
    // Service names are single labels: ndots:0 sends them straight to the embedded server.
    if (!options.some((o) => o.startsWith('ndots'))) options.unshift('ndots:0');
    return { nameservers: [...new Set(nets.map((n) => n.gateway))], search, options };
  }

  async publish(containerId: string, ports: PortConfig[]): Promise<PublishedPort[]> {
    if (ports.length === 0) return [];
    await this.unpublish(containerId);
    const fwOk = await this.firewall.available();
    const records = await this.store.locked(async () => {
      const sb = await this.store.sandbox(containerId);
      if (!sb)
        throw new RuntimeError(`container ${containerId} has no sandbox`, {
          hint: 'createSandbox comes first',
        });
      const nets = await this.store.networks();
      const target = nets
        .flatMap((n) => n.attachments.filter((a) => a.containerId === containerId).map((a) => ({ n, a })))
        .sort((x, y) => Number(x.a.iface.slice(3)) - Number(y.a.iface.slice(3)))[0];
      if (!target) {
        throw new RuntimeError(`container ${containerId} publishes ports but is on no network`, {
          hint: 'with network_mode host the ports are the host’s already; with none there is nothing to publish',
        });
      }
      const claimed = (await this.store.sandboxes()).flatMap((s) => s.ports);
      const resolved = await resolveBindings(bindingsOf(ports), claimed, `container ${containerId}`);
      const recs: PublishedRecord[] = resolved.map((p) => ({
        ...p,
        targetIp: target.a.ipv4,
        bridge: target.n.bridge,
      }));
      await this.store.saveSandbox({ ...sb, ports: recs });
      if (fwOk) await this.syncFirewall();
      return recs;
    });
    if (!fwOk) {
      const proxy = new PortProxy(records.map((r) => ({ ...r, targetPort: r.containerPort })));
      await proxy.start();
      this.proxies.set(containerId, proxy);
    }
    return records.map(({ hostIp, hostPort, containerPort, protocol }) => ({
      hostIp,
      hostPort,
      containerPort,
      protocol,
    }));
  }

  async unpublish(containerId: string): Promise<void> {
    await this.stopProxy(containerId);
    await this.store.locked(async () => {
      const sb = await this.store.sandbox(containerId);
      if (!sb || sb.ports.length === 0) return;
      await this.store.saveSandbox({ ...sb, ports: [] });
      await this.syncFirewall();
    });
  }

  /** Ports cmp already forwards, for a check before anything is created. */
  async claimedPorts(): Promise<PublishedPort[]> {
    return (await this.store.sandboxes()).flatMap((s) => s.ports);
  }

  private async stopProxy(containerId: string): Promise<void> {
    const p = this.proxies.get(containerId);
    this.proxies.delete(containerId);
    await p?.stop();
  }

  /** Must run under the lock: renders the firewall from every state file. */
  private async syncFirewall(): Promise<void> {
    const [networks, sandboxes] = await Promise.all([this.store.networks(), this.store.sandboxes()]);
    await this.firewall.sync(
      networks,
      sandboxes.flatMap((s) => s.ports),
    );
  }
}
