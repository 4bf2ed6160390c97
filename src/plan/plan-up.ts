// `up` as a pure function of (project, observed state, options): the engine executes exactly this.
import { buildGraph } from '../graph/dependency-graph.js';
import { restartDependents, withDependencies } from '../graph/select.js';
import type { Project, Service } from '../model/types.js';
import { LABEL } from '../runtime/types.js';
import type { ContainerState } from '../runtime/types.js';
import { planServiceContainers } from './plan-containers.js';
import type { RecreateStrategy } from './plan-containers.js';
import { planImages, planNetworks, planVolumes } from './plan-resources.js';
import { imageRef, replicas } from './service-facts.js';
import type { ObservedState, ServicePlan, UpOptions, UpPlan } from './types.js';

const NAMESPACE_SOURCES = new Set(['network_mode', 'ipc', 'pid', 'volumes_from']);

export function orphanWarning(orphans: readonly ContainerState[]): string {
  return (
    `Found orphan containers ([${orphans.map((c) => c.name).join(' ')}]) for this project. If you removed or renamed ` +
    'this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.'
  );
}

const ended = (c: ContainerState): boolean => c.status === 'exited' || c.status === 'dead';
const byName = (a: ContainerState, b: ContainerState): number => (a.name < b.name ? -1 : 1);

export function findOrphans(project: Project, containers: readonly ContainerState[]): ContainerState[] {
  return containers
    .filter((c) => {
      const s = c.labels[LABEL.service] ?? '';
      return !(s in project.services) && !(s in (project.disabled_services ?? {}));
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The keys of the networks to make again, each step given the containers on it: those attached now and
 * those whose service uses it (a stopped container is attached to nothing), one-offs included.
 */
function remadeNetworks(
  project: Project,
  networks: UpPlan['networks'],
  observed: ObservedState,
): Set<string> {
  const keys = new Set<string>();
  for (const step of networks) {
    if (step.action !== 'recreate') continue;
    keys.add(step.key);
    step.containers = [...observed.containers, ...observed.oneoffs]
      .filter((c) => {
        if (c.networks.some((n) => n.network === step.name)) return true;
        const s = project.services[c.labels[LABEL.service] ?? ''];
        return s !== undefined && !s.network_mode && step.key in (s.networks ?? {});
      })
      .sort(byName);
  }
  return keys;
}

export function computeUpPlan(project: Project, observed: ObservedState, options: UpOptions = {}): UpPlan {
  const graph = buildGraph(project);
  const targets = options.services ?? [];
  const scopeSet = withDependencies(graph, targets, options.noDeps);
  const scope = graph.order.filter((n) => scopeSet.has(n));
  const targeted = new Set(targets.length > 0 ? targets : graph.nodes);
  const warnings: string[] = [];

  const networks = planNetworks(project, scope, observed, warnings, options.allResources);
  const remade = remadeNetworks(project, networks, observed);
  const volumes = planVolumes(project, scope, observed, warnings, options.allResources);
  const images = planImages(project, scope, observed);

  const strategyFor = (name: string): RecreateStrategy => {
    if (options.noRecreate) return 'never';
    if (targeted.has(name)) return options.forceRecreate ? 'force' : 'diverged';
    return options.alwaysRecreateDeps ? 'force' : 'diverged';
  };

  const recreated = new Set<string>();
  const services: ServicePlan[] = [];
  for (const name of scope) {
    const service = project.services[name] as Service;
    const ref = imageRef(project, name).ref;
    const recreatedParents = (graph.dependencies.get(name) ?? [])
      .filter((e) => recreated.has(e.service) && e.sources.some((s) => NAMESPACE_SOURCES.has(s)))
      .map((e) => e.service);
    // A service on a network made again gets new containers: its old ones go with the old network.
    const onRemade = !service.network_mode && Object.keys(service.networks ?? {}).some((k) => remade.has(k));
    const actions = planServiceContainers({
      project,
      name,
      containers: onRemade ? [] : observed.containers.filter((c) => c.labels[LABEL.service] === name),
      replicas: replicas(name, service, options.scale),
      strategy: strategyFor(name),
      imageId: observed.images[ref]?.id,
      recreatedParents,
    });
    if (actions.some((a) => a.kind === 'recreate')) recreated.add(name);
    services.push({ name, replicas: replicas(name, service, options.scale), actions });
  }

  // depends_on.restart: a dependent of a recreated service is stopped before the recreate and started after.
  for (const dep of scope.filter((n) => recreated.has(n))) {
    for (const dependent of restartDependents(graph, [dep])) {
      const plan = services.find((s) => s.name === dependent);
      if (!plan) continue;
      plan.actions = plan.actions.map((a) => {
        if (a.kind === 'keep')
          return {
            kind: 'restart',
            service: a.service,
            number: a.number,
            name: a.name,
            current: a.current,
            reason: `dependency ${dep} recreated`,
          };
        if (a.kind === 'recreate' && !a.stopFirst) return { ...a, stopFirst: true };
        return a;
      });
    }
  }

  const orphans = findOrphans(project, observed.containers);
  if (orphans.length > 0 && !options.removeOrphans) warnings.push(orphanWarning(orphans));
  // compose counts a one-off as an orphan once it has ended: --remove-orphans takes those too, while a
  // one-off still running is somebody's job and stays.
  if (options.removeOrphans) orphans.push(...observed.oneoffs.filter(ended).sort(byName));
  return {
    project: project.name,
    warnings,
    networks,
    volumes,
    images,
    services,
    orphans,
    removeOrphans: Boolean(options.removeOrphans),
  };
}
