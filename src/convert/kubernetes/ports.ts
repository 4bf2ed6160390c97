// The ports a service listens on, from `ports` and `expose`. In compose, other services reach a
// service on its container port whatever is published, so the Service port is the container port.

import type { Service } from '../../model/types.js';

export interface ListenPort {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Host port from `ports:` (the first of a range), when published. */
  published?: number;
}

function protocolOf(p: string | undefined): ListenPort['protocol'] {
  const s = (p ?? 'tcp').toLowerCase();
  return s === 'udp' ? 'UDP' : s === 'sctp' ? 'SCTP' : 'TCP';
}

/** "3306", "8000-8001", "53/udp" */
function parseExpose(entry: string): ListenPort[] {
  const [range = '', proto] = entry.split('/');
  const [from, to] = range.split('-').map(Number);
  if (from === undefined || !Number.isInteger(from)) return [];
  const last = to !== undefined && Number.isInteger(to) ? to : from;
  const out: ListenPort[] = [];
  for (let p = from; p <= last && out.length < 100; p++) out.push({ port: p, protocol: protocolOf(proto) });
  return out;
}

export function listenPorts(service: Service): ListenPort[] {
  const seen = new Map<string, ListenPort>();
  const add = (p: ListenPort): void => {
    const key = `${p.port}/${p.protocol}`;
    const had = seen.get(key);
    if (!had) seen.set(key, p);
    else if (had.published === undefined && p.published !== undefined) had.published = p.published;
  };
  for (const p of service.ports) {
    const published = p.published ? Number(p.published.split('-')[0]) : undefined;
    add({
      port: p.target,
      protocol: protocolOf(p.protocol),
      ...(published !== undefined && Number.isInteger(published) ? { published } : {}),
    });
  }
  for (const e of service.expose ?? []) for (const p of parseExpose(String(e))) add(p);
  return [...seen.values()];
}
