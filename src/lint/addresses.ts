import { parseIp } from '../util/ipv4.js';

// IPv4 literals and subnets, for the hard-coded address rule. Plain arithmetic on 32-bit numbers; no
// IPv6 (compose stacks that hard-code container addresses use IPv4 in practice).

export interface Cidr {
  text: string;
  base: number;
  mask: number;
}

// A literal followed by /N is a subnet, not an address.
const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])(?!\/\d)/g;

/** An IPv4 literal as a number, or undefined when the text is not one. */
export const ipv4Number = parseIp;

export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits] = text.split('/');
  const base = addr === undefined ? undefined : ipv4Number(addr);
  const prefix = bits === undefined ? 32 : Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { text, base: (base & mask) >>> 0, mask };
}

export function inCidr(ip: number, cidr: Cidr): boolean {
  return (ip & cidr.mask) >>> 0 === cidr.base;
}

/** RFC 1918 ranges: where container networks get their addresses when no subnet is declared. */
export const PRIVATE_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (c) => parseCidr(c) as Cidr,
);

/** The valid host addresses written in a text, in order; subnets and `.0` network addresses are not hosts. */
export function ipv4Literals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IPV4)) if (ipv4Number(m[0]) !== undefined && m[4] !== '0') out.push(m[0]);
  return out;
}
