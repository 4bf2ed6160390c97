// Published ports as `ps` shows them (`127.0.0.1:8080->80/tcp`) and as compose's JSON `Publishers`.
import type { PublishedPort } from '../../runtime/types.js';

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

export function formatPorts(ports: readonly PublishedPort[]): string {
  return [...ports]
    .sort(byPort)
    .map((p) => `${hostPart(p)}->${p.containerPort}/${p.protocol}`)
    .join(', ');
}

export function publishers(ports: readonly PublishedPort[]): Publisher[] {
  return [...ports].sort(byPort).map((p) => ({
    URL: p.hostIp === '' ? '0.0.0.0' : p.hostIp,
    TargetPort: p.containerPort,
    PublishedPort: p.hostPort,
    Protocol: p.protocol,
  }));
}

/** `cmp port`: the host side of one published port, `host:port`. */
export function formatPortBinding(p: PublishedPort): string {
  return hostPart(p);
}
