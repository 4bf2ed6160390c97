// Published ports as `ps` shows them (`127.0.0.1:8080->80/tcp`) and as compose's JSON `Publishers`.
import type { ExposedPort, PublishedPort } from '../../runtime/types.js';

export interface Publisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

function hostPart(p: PublishedPort): string {
  const ip = p.hostIp === '' ? '0.0.0.0' : p.hostIp;
  return ip.includes(':') ? `[${ip}]:${p.hostPort}` : `${ip}:${p.hostPort}`;
}

function byPort(a: PublishedPort, b: PublishedPort): number {
  return (
    a.containerPort - b.containerPort ||
    a.protocol.localeCompare(b.protocol) ||
    a.hostIp.localeCompare(b.hostIp) ||
    a.hostPort - b.hostPort
  );
}

/** Exposed-only ports as docker lists them beside the published ones: no host side, port 0. */
function withExposed(ports: readonly PublishedPort[], exposed: readonly ExposedPort[]): PublishedPort[] {
  return [...ports, ...exposed.map((e) => ({ hostIp: '', hostPort: 0, ...e }))].sort(byPort);
}

export function formatPorts(ports: readonly PublishedPort[], exposed: readonly ExposedPort[] = []): string {
  return withExposed(ports, exposed)
    .map((p) =>
      p.hostPort === 0
        ? `${p.containerPort}/${p.protocol}`
        : `${hostPart(p)}->${p.containerPort}/${p.protocol}`,
    )
    .join(', ');
}

export function publishers(
  ports: readonly PublishedPort[],
  exposed: readonly ExposedPort[] = [],
): Publisher[] {
  return withExposed(ports, exposed).map((p) => ({
    URL: p.hostPort === 0 ? '' : p.hostIp === '' ? '0.0.0.0' : p.hostIp,
    TargetPort: p.containerPort,
    PublishedPort: p.hostPort,
    Protocol: p.protocol,
  }));
}

/** `cmp port`: the host side of one published port, `host:port`. */
export function formatPortBinding(p: PublishedPort): string {
  return hostPart(p);
}
