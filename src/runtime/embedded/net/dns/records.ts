// What the DNS server knows, rebuilt from the network state files: which names live on which network,
// and which networks a querying address belongs to (answers are scoped by the asker's networks).
import type { NetworkRecord, SandboxRecord } from '../state.js';

export interface DnsIndex {
  /** Gateway address -> network name: the sockets to listen on. */
  gateways: Map<string, string>;
  /** network -> name -> addresses. */
  names: Map<string, Map<string, string[]>>;
  /** Container address -> container id. */
  containerOfIp: Map<string, string>;
  /** network -> the addresses of its attached containers: the only askers it answers. */
  members: Map<string, Set<string>>;
  /** network -> container address -> the name a reverse lookup gives: `<container name>.<network>`, as Docker. */
  reverse: Map<string, Map<string, string>>;
  /** Container id -> the networks it is on. */
  networksOf: Map<string, string[]>;
  internal: Set<string>;
  /** Container id -> the service's own `dns` servers. */
  upstreamsOf: Map<string, string[]>;
  /** Container id -> its link aliases (alias -> the name it stands for). */
  linksOf: Map<string, Map<string, string>>;
}

export function buildIndex(networks: NetworkRecord[], sandboxes: SandboxRecord[]): DnsIndex {
  const idx: DnsIndex = {
    gateways: new Map(),
    names: new Map(),
    containerOfIp: new Map(),
    members: new Map(),
    reverse: new Map(),
    networksOf: new Map(),
    internal: new Set(),
    upstreamsOf: new Map(),
    linksOf: new Map(),
  };
  for (const n of networks) {
    idx.gateways.set(n.gateway, n.name);
    if (n.internal) idx.internal.add(n.name);
    const names = new Map<string, string[]>();
    idx.names.set(n.name, names);
    const reverse = new Map<string, string>();
    idx.reverse.set(n.name, reverse);
    const members = new Set<string>();
    idx.members.set(n.name, members);
    for (const a of n.attachments) {
      // A replacement waiting for its predecessor's address is not reachable yet: the predecessor answers.
      if (a.waitsFor) continue;
      idx.containerOfIp.set(a.ipv4, a.containerId);
      members.add(a.ipv4);
      // aliases are [service, container name, …]; a one-off has only its own name.
      const own = a.aliases[1] ?? a.aliases[0];
      if (own) reverse.set(a.ipv4, `${own}.${n.name}`);
      idx.networksOf.set(a.containerId, [...(idx.networksOf.get(a.containerId) ?? []), n.name]);
      for (const alias of a.aliases) {
        const key = alias.toLowerCase();
        const list = names.get(key) ?? [];
        if (!list.includes(a.ipv4)) list.push(a.ipv4);
        names.set(key, list);
      }
    }
  }
  for (const s of sandboxes) {
    if (s.dnsServers?.length) idx.upstreamsOf.set(s.containerId, s.dnsServers);
    const links = Object.entries(s.links ?? {});
    if (links.length > 0)
      idx.linksOf.set(s.containerId, new Map(links.map(([a, t]) => [a.toLowerCase(), t.toLowerCase()])));
  }
  return idx;
}

export interface Scope {
  networks: string[];
  containerId?: string;
}

/**
 * Whether `source` may ask on `network`: it must be the address of a container attached to it. The host,
 * Docker's containers, other networks' and other projects' containers get no answer at all, so they can
 * neither list a network's names nor use the server to reach its upstreams.
 */
export function isMember(idx: DnsIndex, network: string, source: string): boolean {
  return idx.members.get(network)?.has(source) === true;
}

/** The networks whose names an asker (a member of `askedOn`) may see: all networks of its container. */
export function scopeOf(idx: DnsIndex, source: string, askedOn: string): Scope {
  const id = idx.containerOfIp.get(source);
  if (id) return { networks: idx.networksOf.get(id) ?? [askedOn], containerId: id };
  return { networks: [askedOn] };
}

export function lookup(idx: DnsIndex, scope: Scope, name: string): string[] | undefined {
  let found: string[] | undefined;
  // A link alias is the asker's own name for another service or container: only it resolves it.
  const linked = scope.containerId ? idx.linksOf.get(scope.containerId)?.get(name) : undefined;
  if (linked !== undefined && linked !== name) {
    found = lookup(idx, { networks: scope.networks }, linked);
    if (found) return found;
  }
  for (const n of scope.networks) {
    const ips = idx.names.get(n)?.get(name);
    if (!ips) continue;
    found ??= [];
    for (const ip of ips) if (!found.includes(ip)) found.push(ip);
  }
  return found;
}

/** The address a reverse-lookup name asks about (`4.3.2.1.in-addr.arpa` -> 1.2.3.4), if it is one. */
export function reverseAddress(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  return m ? [m[4], m[3], m[2], m[1]].join('.') : undefined;
}

/** The name of a container address on one of the asker's networks. */
export function lookupReverse(idx: DnsIndex, scope: Scope, ip: string): string | undefined {
  for (const n of scope.networks) {
    const name = idx.reverse.get(n)?.get(ip);
    if (name) return name;
  }
  return undefined;
}
