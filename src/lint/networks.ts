// Which networks a service is on, and which names each network resolves, for the reachability rules.
import type { Project } from '../model/types.js';

/**
 * The keys of the networks a service is attached to. `network_mode: service:x` shares x's;
 * undefined when the question has no answer here (host, none, container:..., or an unknown service).
 */
export function serviceNetworks(
  project: Project,
  name: string,
  seen = new Set<string>(),
): Set<string> | undefined {
  const svc = project.services[name];
  if (!svc || seen.has(name)) return undefined;
  seen.add(name);
  const mode = svc.network_mode;
  if (mode !== undefined) {
    if (mode.startsWith('service:')) return serviceNetworks(project, mode.slice('service:'.length), seen);
    if (mode !== 'bridge' && mode !== 'default') return undefined;
  }
  return new Set(Object.keys(svc.networks));
}

export function networkKeyName(project: Project, key: string): string {
  return project.networks[key]?.name ?? key;
}

export interface AliasDeclaration {
  service: string;
  /** Network key as written in the file. */
  network: string;
}

/** Every alias declared on a service's network attachment. */
export function aliasDeclarations(project: Project): Map<string, AliasDeclaration[]> {
  const out = new Map<string, AliasDeclaration[]>();
  for (const [service, svc] of Object.entries(project.services)) {
    for (const [network, att] of Object.entries(svc.networks)) {
      for (const alias of att?.aliases ?? []) {
        const list = out.get(alias) ?? [];
        list.push({ service, network });
        out.set(alias, list);
      }
    }
  }
  return out;
}

/** Two keys may name one real network (`name:` or external), so compare real names. */
export function shares(project: Project, a: Set<string>, b: Set<string>): boolean {
  const real = new Set([...b].map((k) => networkKeyName(project, k)));
  for (const x of a) if (real.has(networkKeyName(project, x))) return true;
  return false;
}

export function listNames(set: Iterable<string>): string {
  return [...set].join(', ') || '(none)';
}
