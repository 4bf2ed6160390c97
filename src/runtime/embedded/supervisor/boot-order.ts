// Orders containers so that dependencies start first, using the depends_on label every container
// carries (`db:service_healthy:true,cache:service_started:false`): the supervisor has no compose file.
import { LABEL, type ContainerState } from '../../types.js';

export function dependenciesOf(c: ContainerState): string[] {
  const label = c.labels[LABEL.dependsOn] ?? '';
  return label
    .split(',')
    .map((part) => part.split(':')[0] ?? '')
    .filter((s) => s !== '');
}

/** Containers of services without dependencies among the set first; ties by name. Cycles end the walk. */
export function bootOrder(containers: readonly ContainerState[]): ContainerState[] {
  const byService = new Map<string, ContainerState[]>();
  for (const c of containers) {
    const s = c.labels[LABEL.service] ?? c.name;
    byService.set(s, [...(byService.get(s) ?? []), c]);
  }
  const done = new Set<string>();
  const out: ContainerState[] = [];
  const visit = (service: string, path: Set<string>): void => {
    if (done.has(service) || path.has(service)) return;
    path.add(service);
    const members = byService.get(service) ?? [];
    for (const c of members) for (const d of dependenciesOf(c)) if (byService.has(d)) visit(d, path);
    done.add(service);
    out.push(...members.sort((a, b) => a.name.localeCompare(b.name)));
  };
  for (const s of [...byService.keys()].sort()) visit(s, new Set());
  return out;
}
