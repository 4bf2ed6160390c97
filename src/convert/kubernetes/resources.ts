// deploy.resources, mem_limit and cpus as container limits and requests.
import type { Service } from '../../model/types.js';

/** Bytes as a Kubernetes quantity: the largest binary unit that divides it exactly. */
export function memoryQuantity(bytes: number): string {
  const units: [string, number][] = [
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ];
  for (const [suffix, size] of units)
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  return String(Math.round(bytes));
}

/** CPUs ("0.5", 2) as a quantity: whole CPUs as they are, fractions in millicores. */
export function cpuQuantity(cpus: string | number): string | undefined {
  const n = Number(cpus);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`;
}

export interface Resources {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export function resourcesFor(s: Service): Resources | undefined {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const r = s.deploy?.resources;
  const cpu = r?.limits?.cpus ?? s.cpus;
  const mem = r?.limits?.memory ?? s.mem_limit;
  if (cpu !== undefined) {
    const q = cpuQuantity(cpu);
    if (q) limits.cpu = q;
  }
  if (mem !== undefined && mem > 0) limits.memory = memoryQuantity(mem);
  if (r?.reservations?.cpus !== undefined) {
    const q = cpuQuantity(r.reservations.cpus);
    if (q) requests.cpu = q;
  }
  if (r?.reservations?.memory) requests.memory = memoryQuantity(r.reservations.memory);
  const out: Resources = {};
  if (Object.keys(limits).length) out.limits = limits;
  if (Object.keys(requests).length) out.requests = requests;
  return Object.keys(out).length ? out : undefined;
}
