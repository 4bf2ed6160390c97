// `down` and `stop` plans: dependents go before what they depend on, and `down` works from labels alone
// so a project whose files changed or vanished can still be torn down. `down` takes a service's one-off
// (`run`) containers with it: left behind, they would keep the project's network in use.
import { buildGraph } from '../graph/dependency-graph.js';
import { withDependents } from '../graph/select.js';
import type { Project } from '../model/types.js';
import { LABEL } from '../runtime/types.js';
import type { ContainerState } from '../runtime/types.js';
import { findOrphans, orphanWarning } from './plan-up.js';
import { containerNumber, isOneoff } from './plan-containers.js';
import type { ContainerRemoval, DownOptions, DownPlan, ObservedState, StopPlan } from './types.js';

const isUp = (c: ContainerState): boolean =>
  c.status === 'running' || c.status === 'restarting' || c.status === 'paused';

const sortedByNumber = (list: readonly ContainerState[]): ContainerState[] =>
  [...list].sort((a, b) => containerNumber(a) - containerNumber(b) || (a.name < b.name ? -1 : 1));

function removalsInReverseOrder(
  project: Project,
  containers: readonly ContainerState[],
  services: readonly string[],
): ContainerRemoval[] {
  const graph = buildGraph(project);
  const scope = withDependents(graph, services);
  const out: ContainerRemoval[] = [];
  // A service its profile switches off is still part of the project: compose stops and removes its
  // containers with the rest. They go first, as they can only depend on services of the graph.
  if (services.length === 0) {
    const off = project.disabled_services ?? {};
    for (const c of sortedByNumber(containers.filter((c) => (c.labels[LABEL.service] ?? '') in off)))
      out.push({ service: c.labels[LABEL.service] ?? '', container: c, stop: isUp(c) });
  }
  for (const name of [...graph.order].reverse()) {
    if (!scope.has(name)) continue;
    const own = sortedByNumber(containers.filter((c) => c.labels[LABEL.service] === name));
    for (const c of own) out.push({ service: name, container: c, stop: isUp(c) });
  }
  return out;
}

export function computeDownPlan(
  project: Project,
  observed: ObservedState,
  options: DownOptions = {},
): DownPlan {
  const services = options.services ?? [];
  const everything = [...observed.containers, ...observed.oneoffs];
  const containers = removalsInReverseOrder(project, everything, services);
  const warnings: string[] = [];
  const orphanStates = services.length > 0 ? [] : findOrphans(project, everything);
  const orphans = options.removeOrphans
    ? orphanStates.map((c) => ({ service: c.labels[LABEL.service] ?? '', container: c, stop: isUp(c) }))
    : [];
  // Like compose, the warning names the services' containers; a one-off kept with them shows in what is left.
  const named = orphanStates.filter((c) => !isOneoff(c));
  if (named.length > 0 && !options.removeOrphans) warnings.push(orphanWarning(named));
  // Naming services narrows `down` to their containers; shared networks and volumes stay.
  const whole = services.length === 0;
  const networks = whole ? observed.networks.map((n) => n.name).sort() : [];
  const externalVolumes = new Set(
    Object.values(project.volumes)
      .filter((v) => v.external)
      .map((v) => v.name),
  );
  const volumes =
    whole && options.volumes
      ? observed.volumes
          .map((v) => v.name)
          .filter((n) => !externalVolumes.has(n))
          .sort()
      : [];
  if (containers.length + orphans.length + networks.length + volumes.length === 0) {
    warnings.push(`No resource found to remove for project "${project.name}".`);
  }
  return {
    project: project.name,
    warnings,
    containers,
    orphans,
    networks,
    volumes,
    removeVolumes: Boolean(options.volumes),
  };
}

/** `oneoffs`: the services' one-off containers too (`rm -s` stops what it is about to remove). */
export function computeStopPlan(
  project: Project,
  observed: ObservedState,
  services: readonly string[] = [],
  opts: { oneoffs?: boolean } = {},
): StopPlan {
  const list = opts.oneoffs ? [...observed.containers, ...observed.oneoffs] : observed.containers;
  // Stopped ones too (`stop` false): compose reports them stopped as well, so a `stop` that finds nothing
  // running still says what it stopped.
  return { project: project.name, containers: removalsInReverseOrder(project, list, services) };
}
