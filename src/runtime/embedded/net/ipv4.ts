// IPv4 arithmetic on 32-bit unsigned integers: enough for subnet carving and address allocation.
import { RuntimeError } from '../../../util/errors.js';
import { formatIp, maskOf, parseIp } from '../../../util/ipv4.js';

export { formatIp, maskOf, parseIp };

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

/** Parses `a.b.c.d/n`; host bits are cleared so `10.0.0.5/24` means 10.0.0.0/24. */
export function parseCidr(text: string): Cidr | undefined {
  const [ip, len, extra] = text.trim().split('/');
  if (ip === undefined || extra !== undefined) return undefined;
  const addr = parseIp(ip);
  const prefix = len === undefined ? 32 : Number(len);
  if (addr === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { base: (addr & maskOf(prefix)) >>> 0, prefix };
}

export function mustCidr(text: string, what: string): Cidr {
  const c = parseCidr(text);
  if (!c)
    throw new RuntimeError(`${what}: "${text}" is not an IPv4 subnet`, { hint: 'write it as a.b.c.d/n' });
  return c;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function last(c: Cidr): number {
  return (c.base + size(c) - 1) >>> 0;
}

export function contains(c: Cidr, ip: number): boolean {
  return (ip & maskOf(c.prefix)) >>> 0 === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

/** Addresses a host may hold: everything but the network and broadcast address (for /31 and /32, all). */
export function hostRange(c: Cidr): { first: number; last: number } {
  if (c.prefix >= 31) return { first: c.base, last: last(c) };
  return { first: c.base + 1, last: last(c) - 1 };
}
