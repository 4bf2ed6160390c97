// What every graph format draws, computed once from the project so the formats cannot disagree:
// services with their labels, typed edges, network membership and (optionally) named volumes.
// Everything is sorted here; renderers only walk these lists.
import { relative } from 'node:path';
import { isHostRootfs } from '../../model/extensions.js';
import type { DependencyCondition, PortConfig, Project, Service } from '../../model/types.js';
import { buildGraph, cmp, type EdgeSource } from '../dependency-graph.js';
import { withDependencies } from '../select.js';

/** How an edge is drawn: a depends_on wait, or an implicit reference (links, shared namespaces, volumes_from). */
export type EdgeKind = 'depends_on' | 'links' | 'namespace' | 'volumes_from';

export interface ServiceNode {
  name: string;
  /** Image reference, "host rootfs", or "build: <context>". */
  image: string;
  /** Compose short syntax, e.g. "127.0.0.1:8080:80", "5000:5000/udp". */
  ports: string[];
  /** Networks the service is attached to, sorted; empty under network_mode. */
  networks: string[];
  /** network_mode when it is not a plain network attachment ("host", "none", "service:x"). */
  networkMode?: string;
  /** Longest path from a service nothing depends on: 0 for entry points, growing towards dependencies. */
  rank: number;
}

export interface ViewEdge {
  /** The dependent. */
  from: string;
  /** The dependency. */
  to: string;
  kind: EdgeKind;
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
  /** Attributes that produced the edge, sorted (an edge may come from depends_on and links at once). */
  sources: EdgeSource[];
}

export interface NetworkView {
  name: string;
  /** Services attached, sorted, with the aliases they have there. */
  members: Array<{ service: string; aliases: string[] }>;
  external: boolean;
  internal: boolean;
}

export interface VolumeView {
  name: string;
  external: boolean;
  mounts: Array<{ service: string; target: string; readOnly: boolean }>;
}

export interface GraphView {
  project: string;
  /** Sorted by rank, then name. */
  services: ServiceNode[];
  /** Sorted by dependent, then dependency. */
  edges: ViewEdge[];
  /** Only networks some drawn service uses, sorted. */
  networks: NetworkView[];
  /** Named volumes, only with `volumes: true`; sorted. */
  volumes: VolumeView[];
  /** Optional dependencies on services the project lacks: dependent -> names. */
  missingOptional: Array<{ from: string; to: string }>;
}

export interface ViewOptions {
  /** Draw only these services and what they depend on. Empty: all. */
  services?: readonly string[];
  volumes?: boolean;
}

export function portText(p: PortConfig): string {
  const proto = p.protocol === 'tcp' ? '' : `/${p.protocol}`;
  const host = p.published ? `${p.host_ip ? `${p.host_ip}:` : ''}${p.published}:` : '';
  return `${host}${p.target}${proto}`;
}

function imageText(project: Project, s: Service): string {
  if (isHostRootfs(s)) return 'host rootfs';
  if (s.image) return s.image;
  if (s.build) {
    const ctx = s.build.context;
    const rel = /^[a-z]+:\/\//i.test(ctx) ? ctx : relative(project.working_dir, ctx) || '.';
    return `build: ${rel}`;
  }
  return '(no image)';
}

function edgeKind(sources: readonly EdgeSource[]): EdgeKind {
  // The loader turns links into depends_on entries too; the implicit reference is what is worth showing.
  if (sources.includes('links')) return 'links';
  if (sources.some((s) => s === 'network_mode' || s === 'ipc' || s === 'pid')) return 'namespace';
  if (sources.includes('volumes_from')) return 'volumes_from';
  return 'depends_on';
}

function ranks(names: readonly string[], edges: readonly ViewEdge[]): Map<string, number> {
  const rank = new Map(names.map((n) => [n, 0]));
  // Longest path from the dependents side; the graph is acyclic (buildGraph checked), so |names| passes settle it.
  for (let i = 0; i < names.length; i++) {
    let changed = false;
    for (const e of edges) {
      const want = (rank.get(e.from) ?? 0) + 1;
      if ((rank.get(e.to) ?? 0) < want) {
        rank.set(e.to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return rank;
}

export function buildView(project: Project, opts: ViewOptions = {}): GraphView {
  const graph = buildGraph(project);
  const keep = withDependencies(graph, opts.services ?? []);
  const names = graph.nodes.filter((n) => keep.has(n));

  const edges: ViewEdge[] = [];
  for (const from of names) {
    for (const d of graph.dependencies.get(from) ?? []) {
      edges.push({
        from,
        to: d.service,
        kind: edgeKind(d.sources),
        condition: d.condition,
        required: d.required,
        restart: d.restart,
        sources: [...d.sources],
      });
    }
  }
  const rank = ranks(names, edges);

  const services: ServiceNode[] = names.map((name) => {
    const s = project.services[name] as Service;
    const mode = s.network_mode;
    const node: ServiceNode = {
      name,
      image: imageText(project, s),
      ports: s.ports.map(portText),
      networks: mode ? [] : Object.keys(s.networks ?? {}).sort(cmp),
      rank: rank.get(name) ?? 0,
    };
    if (mode) node.networkMode = mode;
    return node;
  });
  services.sort((a, b) => a.rank - b.rank || cmp(a.name, b.name));

  const networkNames = [...new Set(services.flatMap((s) => s.networks))].sort(cmp);
  const networks: NetworkView[] = networkNames.map((net) => {
    const def = project.networks[net];
    return {
      name: net,
      external: def?.external === true,
      internal: def?.internal === true,
      members: names
        .filter((n) => services.find((s) => s.name === n)?.networks.includes(net))
        .map((service) => ({
          service,
          aliases: [...(project.services[service]?.networks[net]?.aliases ?? [])].sort(cmp),
        })),
    };
  });

  const volumes: VolumeView[] = [];
  if (opts.volumes) {
    for (const vol of Object.keys(project.volumes).sort(cmp)) {
      const mounts: VolumeView['mounts'] = [];
      for (const service of names) {
        for (const m of project.services[service]?.volumes ?? []) {
          if (m.type === 'volume' && m.source === vol)
            mounts.push({ service, target: m.target, readOnly: m.read_only === true });
        }
      }
      mounts.sort((a, b) => cmp(a.service, b.service) || cmp(a.target, b.target));
      if (mounts.length > 0 || (opts.services ?? []).length === 0)
        volumes.push({ name: vol, external: project.volumes[vol]?.external === true, mounts });
    }
  }

  const missingOptional: GraphView['missingOptional'] = [];
  for (const from of names)
    for (const to of graph.missingOptional.get(from) ?? []) missingOptional.push({ from, to });

  return { project: project.name, services, edges, networks, volumes, missingOptional };
}

/** Short edge caption shared by the drawn formats. */
export function edgeLabel(e: ViewEdge): string {
  const parts: string[] = [];
  if (e.sources.includes('depends_on')) {
    parts.push(
      e.condition === 'service_healthy'
        ? 'healthy'
        : e.condition === 'service_completed_successfully'
          ? 'completed'
          : 'started',
    );
  }
  for (const s of e.sources) if (s !== 'depends_on') parts.push(s);
  if (!e.required) parts.push('optional');
  if (e.restart) parts.push('restart');
  return parts.join(', ');
}

/**
 * The network cluster a service is drawn inside: its only network. A service on several networks is
 * drawn once, outside every cluster, and joined to each network by a line; nesting it in one cluster
 * would hide the others, and duplicating it would suggest two containers.
 */
export function homeNetwork(s: ServiceNode): string | undefined {
  return s.networks.length === 1 ? s.networks[0] : undefined;
}
