// Published ports: turning compose's port entries into concrete host bindings, and checking, by actually
// binding, that the host port is free before any rule is written.
import { createServer, type AddressInfo } from 'node:net';
import { createSocket } from 'node:dgram';
import { RuntimeError } from '../../../util/errors.js';
import type { PortConfig } from '../../../model/types.js';
import type { PublishedPort } from '../../types.js';

export interface HostBinding {
  hostIp: string;
  /** 0 until an ephemeral port is chosen. */
  hostPort: number;
  /** Candidate host ports when the entry gives a range for one target port. */
  candidates: number[];
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

function parseRange(text: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2] ?? m?.[1]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) {
    throw new RuntimeError(`published port "${text}" is not a port or a port range`, {
      hint: 'e.g. "8080" or "8080-8090"',
    });
  }
  return [lo, hi];
}

export function bindingsOf(ports: PortConfig[]): HostBinding[] {
  return ports.map((p) => {
    const hostIp = p.host_ip && p.host_ip !== '::' ? p.host_ip : '0.0.0.0';
    const candidates: number[] = [];
    if (p.published !== undefined && p.published !== '') {
      const [lo, hi] = parseRange(p.published);
      for (let n = lo; n <= hi; n++) candidates.push(n);
    }
    return { hostIp, hostPort: 0, candidates, containerPort: p.target, protocol: p.protocol };
  });
}

function overlapsIp(a: string, b: string): boolean {
  return a === b || a === '0.0.0.0' || b === '0.0.0.0';
}

/** Binds and releases the port; resolves with the port number, or undefined if it is taken. */
export async function tryBind(hostIp: string, port: number, protocol: string): Promise<number | undefined> {
  if (protocol === 'udp') {
    const s = createSocket('udp4');
    return new Promise((resolve) => {
      s.once('error', () => {
        s.close();
        resolve(undefined);
      });
      s.bind(port, hostIp, () => {
        const got = s.address().port;
        s.close(() => resolve(got));
      });
    });
  }
  // sctp has no Node socket; a TCP bind on the same number is the best available check.
  const srv = createServer();
  return new Promise((resolve) => {
    srv.once('error', () => resolve(undefined));
    srv.listen({ port, host: hostIp, exclusive: true }, () => {
      const got = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(got));
    });
  });
}

/**
 * Fixes every binding's host port, failing with the first one that is taken, before anything is
 * published. `claimed` are ports cmp already forwards (DNAT holds no socket, so binding alone would miss them).
 */
export async function resolveBindings(
  bindings: HostBinding[],
  claimed: PublishedPort[],
  owner: string,
): Promise<PublishedPort[]> {
  const out: PublishedPort[] = [];
  const taken = (ip: string, port: number, proto: string): boolean =>
    [...claimed, ...out].some((c) => c.protocol === proto && c.hostPort === port && overlapsIp(c.hostIp, ip));
  for (const b of bindings) {
    let port: number | undefined;
    if (b.candidates.length === 0) {
      for (let i = 0; i < 20 && port === undefined; i++) {
        const p = await tryBind(b.hostIp, 0, b.protocol);
        if (p !== undefined && !taken(b.hostIp, p, b.protocol)) port = p;
      }
    } else {
      for (const c of b.candidates) {
        if (!taken(b.hostIp, c, b.protocol) && (await tryBind(b.hostIp, c, b.protocol)) !== undefined) {
          port = c;
          break;
        }
      }
    }
    if (port === undefined) {
      const what =
        b.candidates.length > 1
          ? `ports ${b.candidates[0]}-${b.candidates.at(-1)}`
          : `port ${b.candidates[0] ?? '(ephemeral)'}`;
      throw new RuntimeError(`${owner}: host ${what}/${b.protocol} on ${b.hostIp} is already in use`, {
        hint: 'change the published port, or stop what is listening on it',
      });
    }
    out.push({ hostIp: b.hostIp, hostPort: port, containerPort: b.containerPort, protocol: b.protocol });
  }
  return out;
}

/**
 * The check the engine can run before creating anything: every fixed host port must be bindable and not
 * already forwarded by cmp (`claimed`: DNAT rules hold no socket, so a bind test alone cannot see them).
 * `own` are the ports the service's current containers hold: they are given up when those containers are
 * replaced or started again (a crashed container's claim must not block its own recreate), so they count
 * as free, even though without nftables the supervisor's proxy still has them bound.
 */
export async function checkPortsFree(
  owner: string,
  ports: PortConfig[],
  claimed: PublishedPort[] = [],
  own: PublishedPort[] = [],
): Promise<void> {
  // A binding one of whose candidates the service holds already will get that one back.
  const heldByOwn = (b: HostBinding): boolean =>
    own.some(
      (o) => o.protocol === b.protocol && b.candidates.includes(o.hostPort) && overlapsIp(o.hostIp, b.hostIp),
    );
  const fixed = bindingsOf(ports).filter((b) => b.candidates.length > 0 && !heldByOwn(b));
  await resolveBindings(
    fixed,
    claimed.filter((c) => !own.includes(c)),
    owner,
  );
}
