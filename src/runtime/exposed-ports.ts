// Ports a container exposes without publishing them (`expose:`, the image's ExposedPorts): `ps` shows them
// as `80/tcp`, compose's JSON as a publisher with PublishedPort 0.
import type { ExposedPort, PublishedPort } from './types.js';

function portKey(port: number | string, protocol: string): string {
  return `${port}/${protocol}`;
}

/** `3000`, `3000-3005`, `3000/udp` as the engine's port keys. */
export function exposeKeys(expose: string): string[] {
  const [range = '', proto = 'tcp'] = expose.split('/');
  const [lo, hi] = range.split('-').map(Number);
  if (lo === undefined || !Number.isInteger(lo)) return [];
  const end = hi !== undefined && Number.isInteger(hi) ? hi : lo;
  const keys: string[] = [];
  for (let p = lo; p <= end; p++) keys.push(portKey(p, proto));
  return keys;
}

/** The exposed ports that no published port already shows, from `expose:` entries and image port keys. */
export function exposedPorts(
  expose: readonly string[],
  imageKeys: readonly string[],
  published: readonly PublishedPort[],
): ExposedPort[] {
  const shown = new Set(published.map((p) => portKey(p.containerPort, p.protocol)));
  const keys = new Set([...expose.flatMap(exposeKeys), ...imageKeys.flatMap(exposeKeys)]);
  const out: ExposedPort[] = [];
  for (const key of keys) {
    if (shown.has(key)) continue;
    const [port = '', protocol = 'tcp'] = key.split('/');
    out.push({ containerPort: Number(port), protocol: protocol as ExposedPort['protocol'] });
  }
  return out;
}
