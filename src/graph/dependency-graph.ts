// The service dependency graph: one edge per (dependent, dependency) pair, gathered from every place the
// Compose Specification lets a service refer to another, so ordering, restarts and `down` agree.
import toposort from 'toposort';
import type { DependencyCondition, Project, Service } from '../model/types.js';
import { ModelError } from '../util/errors.js';
import { findCycle } from './cycle.js';

export type EdgeSource = 'depends_on' | 'links' | 'network_mode' | 'ipc' | 'pid' | 'volumes_from';

export interface DependencyEdge {
  /** The dependency's service name. */
  service: string;
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
  /** Every attribute that produced this edge, sorted. */
  sources: EdgeSource[];
}

export interface DependencyGraph {
  /** Service names, sorted. */
  readonly nodes: readonly string[];
  /** Dependencies of each service, sorted by name. */
  readonly dependencies: ReadonlyMap<string, readonly DependencyEdge[]>;
  /** Dependents of each service, sorted by name. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** Optional (`required: false`) dependencies naming a service that is not in the project. */
  readonly missingOptional: ReadonlyMap<string, readonly string[]>;
  /** Dependencies first; ties broken by name. */
  readonly order: readonly string[];
}

/** `service:x` in network_mode/ipc/pid names a service; `container:x` and plain modes do not. */
export function serviceRef(value: string | undefined): string | undefined {
  return value?.startsWith('service:') ? value.slice('service:'.length) : undefined;
}

/** `volumes_from` entries: `svc`, `svc:ro|rw`; `container:x` refers to a foreign container. */
export function volumesFromService(entry: string): string | undefined {
  if (entry.startsWith('container:')) return undefined;
  return entry.split(':')[0];
}

function implicitEdges(service: Service): Array<{ to: string; source: EdgeSource; restart: boolean }> {
  const out: Array<{ to: string; source: EdgeSource; restart: boolean }> = [];
  for (const link of service.links ?? [])
    out.push({ to: link.split(':')[0] ?? link, source: 'links', restart: true });
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const ref = serviceRef(service[key]);
    if (ref) out.push({ to: ref, source: key, restart: true });
  }
  for (const entry of service.volumes_from ?? []) {
    const ref = volumesFromService(entry);
    if (ref) out.push({ to: ref, source: 'volumes_from', restart: false });
  }
  return out;
}

function collectEdges(name: string, service: Service): Map<string, DependencyEdge> {
  const edges = new Map<string, DependencyEdge>();
  for (const [dep, d] of Object.entries(service.depends_on ?? {})) {
    edges.set(dep, {
      service: dep,
      condition: d.condition,
      required: d.required,
      restart: d.restart,
      sources: ['depends_on'],
    });
  }
  for (const { to, source, restart } of implicitEdges(service)) {
    if (to === name) continue;
    const existing = edges.get(to);
    if (existing) {
      // An explicit depends_on keeps its condition; an implicit reference only makes it mandatory.
      existing.required = true;
      existing.restart ||= restart;
      if (!existing.sources.includes(source)) existing.sources.push(source);
      existing.sources.sort();
    } else {
      edges.set(to, {
        service: to,
        condition: 'service_started',
        required: true,
        restart,
        sources: [source],
      });
    }
  }
  return edges;
}

function missingDependencyError(project: Project, from: string, to: string): ModelError {
  const disabled = project.disabled_services?.[to];
  if (disabled) {
    const profiles = disabled.profiles ?? [];
    return new ModelError(
      `service ${to} is required by ${from} but is disabled. Can be enabled by profiles [${profiles.join(' ')}]`,
      { hint: `enable a profile of ${to}, or mark the dependency required: false` },
    );
  }
  return new ModelError(`service "${from}" depends on undefined service "${to}"`, {
    hint: `define service "${to}" or remove the reference`,
  });
}

export function buildGraph(project: Project): DependencyGraph {
  const nodes = Object.keys(project.services).sort();
  const dependencies = new Map<string, DependencyEdge[]>();
  const dependents = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const missingOptional = new Map<string, string[]>();
  for (const name of nodes) {
    const list: DependencyEdge[] = [];
    for (const edge of [...collectEdges(name, project.services[name] as Service).values()]) {
      if (project.services[edge.service] === undefined) {
        if (edge.required) throw missingDependencyError(project, name, edge.service);
        missingOptional.set(name, [...(missingOptional.get(name) ?? []), edge.service]);
        continue;
      }
      list.push(edge);
      dependents.get(edge.service)?.push(name);
    }
    dependencies.set(
      name,
      list.sort((a, b) => cmp(a.service, b.service)),
    );
  }
  for (const list of dependents.values()) list.sort(cmp);
  const adjacency = new Map(nodes.map((n) => [n, (dependencies.get(n) ?? []).map((e) => e.service)]));
  const cycle = findCycle(adjacency);
  if (cycle) {
    throw new ModelError(`dependency cycle detected: ${cycle.join(' -> ')}`, {
      hint: 'a service cannot wait for itself; remove one of these references',
    });
  }
  return { nodes, dependencies, dependents, missingOptional, order: stableOrder(nodes, dependencies) };
}

/**
 * toposort gives a valid order but not a canonical one; levels (longest path from a leaf) sorted by name
 * make the order a function of the graph alone, which plan text and tests rely on.
 */
function stableOrder(
  nodes: readonly string[],
  deps: ReadonlyMap<string, readonly DependencyEdge[]>,
): string[] {
  const edges: Array<[string, string]> = [];
  for (const n of nodes) for (const e of deps.get(n) ?? []) edges.push([e.service, n]);
  const topo = toposort.array([...nodes], edges);
  const level = new Map<string, number>();
  for (const n of topo) {
    const l = Math.max(-1, ...(deps.get(n) ?? []).map((e) => level.get(e.service) ?? 0));
    level.set(n, l + 1);
  }
  return [...topo].sort((a, b) => (level.get(a) ?? 0) - (level.get(b) ?? 0) || cmp(a, b));
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
