// Address management as pure functions over the state records, so the rules (statics first, sticky
// addresses, sequential mode) are testable without touching the host.
import { RuntimeError } from '../../../util/errors.js';
import type { IpamConfig } from '../../../model/types.js';
import {
  contains,
  formatCidr,
  formatIp,
  hostRange,
  last,
  mustCidr,
  overlaps,
  parseIp,
  size,
  type Cidr,
} from './ipv4.js';
import type { AttachmentRecord, NetworkRecord } from './state.js';

export interface Pool {
  cidr: Cidr;
  /** Prefix length of each subnet carved from the pool. */
  prefix: number;
}

export interface Addressing {
  subnet: string;
  gateway: string;
  ipRange?: string;
  /** Addresses the ipam config keeps out of dynamic allocation (aux addresses). */
  aux: string[];
}

export function defaultPool(): Pool {
  const text = process.env.CMP_NET_POOL ?? '10.89.0.0/16';
  const cidr = mustCidr(text, 'CMP_NET_POOL');
  const prefix = Number(process.env.CMP_NET_POOL_PREFIX ?? 24);
  if (!Number.isInteger(prefix) || prefix < cidr.prefix || prefix > 30) {
    throw new RuntimeError(`CMP_NET_POOL_PREFIX=${prefix} does not fit the pool ${text}`, {
      hint: `use a prefix between ${cidr.prefix} and 30`,
    });
  }
  return { cidr, prefix };
}

/** The first pool subnet that overlaps nothing taken, preferring the one the network had last time. */
export function pickSubnet(pool: Pool, taken: Cidr[], preferred?: Cidr): Cidr {
  const free = (c: Cidr): boolean => !taken.some((t) => overlaps(t, c));
  if (preferred && free(preferred)) return preferred;
  const step = 2 ** (32 - pool.prefix);
  for (let base = pool.cidr.base; base + step - 1 <= last(pool.cidr); base += step) {
    const c = { base: base >>> 0, prefix: pool.prefix };
    if (free(c)) return c;
  }
  throw new RuntimeError(`no free subnet left in the address pool ${formatCidr(pool.cidr)}`, {
    hint: 'remove unused networks, or set CMP_NET_POOL to a larger range',
  });
}

/** Subnet, gateway and range for a new network, from its ipam config or from the pool. */
export function planAddressing(
  network: string,
  configs: IpamConfig[] | undefined,
  pool: Pool,
  taken: { cidr: Cidr; owner: string }[],
  remembered: string | undefined,
): Addressing {
  const v4 = (configs ?? []).find((c) => c.subnet === undefined || !c.subnet.includes(':'));
  let subnet: Cidr;
  if (v4?.subnet) {
    subnet = mustCidr(v4.subnet, `network ${network}: ipam subnet`);
    const clash = taken.find((t) => overlaps(t.cidr, subnet));
    if (clash) {
      throw new RuntimeError(
        `network ${network}: subnet ${formatCidr(subnet)} overlaps ${formatCidr(clash.cidr)} (${clash.owner})`,
        { hint: 'choose another ipam subnet' },
      );
    }
  } else {
    const pref = remembered ? mustCidr(remembered, 'remembered subnet') : undefined;
    subnet = pickSubnet(
      pool,
      taken.map((t) => t.cidr),
      pref && pref.prefix >= pool.cidr.prefix && overlaps(pref, pool.cidr) ? pref : undefined,
    );
  }
  const range = hostRange(subnet);
  if (range.last - range.first < 1) {
    throw new RuntimeError(`network ${network}: subnet ${formatCidr(subnet)} is too small`, {
      hint: 'use a /30 or larger',
    });
  }
  const gateway = v4?.gateway ? checkInSubnet(network, v4.gateway, subnet, 'gateway') : range.first;
  let ipRange: string | undefined;
  if (v4?.ip_range) {
    const r = mustCidr(v4.ip_range, `network ${network}: ipam ip_range`);
    if (!contains(subnet, r.base) || !contains(subnet, last(r))) {
      throw new RuntimeError(
        `network ${network}: ip_range ${v4.ip_range} is not inside ${formatCidr(subnet)}`,
      );
    }
    ipRange = formatCidr(r);
  }
  const aux = Object.values(v4?.aux_addresses ?? {}).map((a) =>
    formatIp(checkInSubnet(network, a, subnet, 'aux address')),
  );
  return { subnet: formatCidr(subnet), gateway: formatIp(gateway), ipRange, aux };
}

function checkInSubnet(network: string, text: string, subnet: Cidr, what: string): number {
  const ip = parseIp(text);
  if (ip === undefined)
    throw new RuntimeError(`network ${network}: ${what} "${text}" is not an IPv4 address`);
  const r = hostRange(subnet);
  if (!contains(subnet, ip) || ip < r.first || ip > r.last) {
    throw new RuntimeError(
      `network ${network}: ${what} ${text} is not a usable address of subnet ${formatCidr(subnet)}`,
      { hint: `pick an address between ${formatIp(r.first)} and ${formatIp(r.last)}` },
    );
  }
  return ip;
}

/** Validates static addresses against the network: inside the subnet, not the gateway. */
export function checkStatic(net: NetworkRecord, address: string): string {
  const subnet = mustCidr(net.subnet, 'subnet');
  const ip = formatIp(checkInSubnet(net.name, address, subnet, 'ipv4_address'));
  if (ip === net.gateway) {
    throw new RuntimeError(`network ${net.name}: ipv4_address ${address} is the network's gateway`, {
      hint: 'pick another address',
    });
  }
  return ip;
}

export interface Assignment {
  ipv4: string;
  /** Set when a remembered address could not be given back. */
  note?: string;
  /**
   * The container that still holds the address: the one this attachment replaces (same identity). The
   * address is handed over when that container's attachment goes.
   */
  after?: string;
}

/** The identity's own previous container holding an address: a recreate's replacement may take it over. */
function predecessor(holder: AttachmentRecord | undefined, identity: string | undefined): string | undefined {
  return holder && identity && holder.identity === identity && !holder.waitsFor
    ? holder.containerId
    : undefined;
}

/**
 * Chooses the address of one attachment. A static address wins (and fails if another container holds it);
 * otherwise, in sticky mode, the identity's remembered address while it is free; otherwise the lowest
 * address that is neither in use, reserved for a static address, nor remembered by another identity.
 * An address held by the same identity's previous container (a recreate makes the replacement before it
 * removes the old one) is taken over, with `after` naming that container. Sequential mode ignores the
 * memory and takes over only static addresses, like Docker, which hands addresses out at start.
 */
export function assignAddress(
  net: NetworkRecord,
  memory: Record<string, string>,
  req: { containerId: string; identity?: string; ipv4?: string },
): Assignment {
  // The live holder of an address wins over a replacement still waiting for it.
  const inUse = new Map<string, AttachmentRecord>();
  for (const a of net.attachments) {
    if (a.containerId === req.containerId) continue;
    const seen = inUse.get(a.ipv4);
    if (!seen || (seen.waitsFor && !a.waitsFor)) inUse.set(a.ipv4, a);
  }
  if (req.ipv4) {
    const ip = checkStatic(net, req.ipv4);
    const holder = inUse.get(ip);
    const after = predecessor(holder, req.identity);
    if (after) return { ipv4: ip, after };
    if (holder) {
      throw new RuntimeError(
        `network ${net.name}: address ${ip} is already taken by ${holder.aliases[1] ?? holder.aliases[0] ?? holder.containerId}`,
        { hint: 'two services cannot share an ipv4_address' },
      );
    }
    return { ipv4: ip };
  }
  const reserved = new Set([...net.reserved, net.gateway]);
  let note: string | undefined;
  if (net.ipAssignment === 'sticky' && req.identity) {
    const mine = memory[req.identity];
    if (mine && contains(mustCidr(net.subnet, 'subnet'), parseIp(mine) ?? -1)) {
      if (!inUse.has(mine) && !reserved.has(mine)) return { ipv4: mine };
      const after = predecessor(inUse.get(mine), req.identity);
      if (after && !reserved.has(mine)) return { ipv4: mine, after };
      const why = reserved.has(mine)
        ? 'is reserved for a static ipv4_address'
        : 'is in use by another container';
      note = `${req.identity} had ${mine} on ${net.name}, which ${why}`;
    }
  }
  const range = mustCidr(net.ipRange ?? net.subnet, 'ip range');
  const bounds = hostRange(mustCidr(net.subnet, 'subnet'));
  const first = Math.max(range.base, bounds.first);
  const end = Math.min(last(range), bounds.last);
  const others =
    net.ipAssignment === 'sticky'
      ? new Set(
          Object.entries(memory)
            .filter(([id]) => id !== req.identity)
            .map(([, ip]) => ip),
        )
      : new Set<string>();
  let fallback: string | undefined;
  for (let n = first; n <= end; n++) {
    const ip = formatIp(n);
    if (inUse.has(ip) || reserved.has(ip)) continue;
    if (!others.has(ip)) return { ipv4: ip, note: note && `${note}; it gets ${ip}` };
    fallback ??= ip;
  }
  // Every free address is someone's memory: take the oldest-numbered one rather than fail.
  if (fallback) return { ipv4: fallback, note: note && `${note}; it gets ${fallback}` };
  throw new RuntimeError(`network ${net.name}: no free address left in ${net.ipRange ?? net.subnet}`, {
    hint: `the subnet has ${size(range)} addresses; use a larger ipam subnet`,
  });
}
