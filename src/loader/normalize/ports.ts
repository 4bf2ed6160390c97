// Port short syntax, `[HOST_IP:][HOST:]CONTAINER[/PROTO]`, with ranges on either side. A container
// range expands to one entry per port, like compose; a host range with a single container port stays
// one entry whose published value is the range ("any free port in it").
import type { PortConfig } from '../../model/types.js';

export class PortSyntaxError extends Error {}

function parseRange(text: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new PortSyntaxError(`invalid port "${text}"`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a > 65535 || b > 65535 || b < a) throw new PortSyntaxError(`invalid port range "${text}"`);
  return [a, b];
}

export function parsePortShort(spec: string | number): PortConfig[] {
  if (typeof spec === 'number') return [{ target: spec, protocol: 'tcp', mode: 'ingress' }];
  let rest = spec.trim();
  let protocol: PortConfig['protocol'] = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = rest.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp' && p !== 'sctp')
      throw new PortSyntaxError(`invalid protocol "${p}" in "${spec}"`);
    protocol = p;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') throw new PortSyntaxError(`invalid port "${spec}"`);
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  let published: string | undefined;
  let container: string;
  if (parts.length === 1) container = parts[0] as string;
  else if (parts.length === 2) [published, container] = parts as [string, string];
  else if (parts.length === 3 && hostIp === undefined)
    [hostIp, published, container] = parts as [string, string, string];
  else if (hostIp === undefined && parts.length > 3) {
    // An unbracketed IPv6 address: the last two fields are the ports.
    container = parts.pop() as string;
    published = parts.pop() as string;
    hostIp = parts.join(':');
  } else throw new PortSyntaxError(`invalid port "${spec}"`);
  if (published === '') published = undefined;
  if (hostIp === '') hostIp = undefined;
  const [c0, c1] = parseRange(container);
  const count = c1 - c0 + 1;
  const base = (target: number, pub: string | undefined): PortConfig => {
    const p: PortConfig = { target, protocol, mode: 'ingress' };
    if (pub !== undefined) p.published = pub;
    if (hostIp !== undefined) p.host_ip = hostIp;
    return p;
  };
  if (published === undefined) {
    const out: PortConfig[] = [];
    for (let i = 0; i < count; i++) out.push(base(c0 + i, undefined));
    return out;
  }
  const [h0, h1] = parseRange(published);
  if (count === 1) return [base(c0, h0 === h1 ? String(h0) : `${h0}-${h1}`)];
  if (h1 - h0 + 1 !== count) throw new PortSyntaxError(`port ranges don't match in "${spec}"`);
  const out: PortConfig[] = [];
  for (let i = 0; i < count; i++) out.push(base(c0 + i, String(h0 + i)));
  return out;
}

/** The merge/unicity key compose uses: {ip, target, published, protocol}. */
export function portKey(p: unknown): string {
  if (typeof p === 'string' || typeof p === 'number') {
    try {
      return parsePortShort(p)
        .map((x) => `${x.host_ip ?? ''}|${x.published ?? ''}|${x.target}|${x.protocol}`)
        .join(',');
    } catch {
      return `raw:${String(p)}`;
    }
  }
  if (typeof p === 'object' && p !== null) {
    const o = p as Record<string, unknown>;
    return `${String(o.host_ip ?? '')}|${String(o.published ?? '')}|${String(o.target)}|${String(o.protocol ?? 'tcp')}`;
  }
  return `raw:${String(p)}`;
}
