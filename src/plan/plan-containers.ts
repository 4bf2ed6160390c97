// Per-service container decisions: which containers to keep, start, recreate, remove or create so the
// service ends with the wanted number of up-to-date replicas numbered like docker compose numbers them.
import type { Project, Service } from '../model/types.js';
import { LABEL } from '../runtime/types.js';
import type { ContainerState } from '../runtime/types.js';
import { serviceConfigHash } from './config-hash.js';
import { containerName, expectedNetworks } from './service-facts.js';
import type { ContainerAction } from './types.js';

export type RecreateStrategy = 'diverged' | 'force' | 'never';

export interface ServiceInput {
  project: Project;
  name: string;
  containers: readonly ContainerState[];
  replicas: number;
  strategy: RecreateStrategy;
  /** Image id the containers should run, when known. */
  imageId: string | undefined;
  /** Services whose namespaces or volumes this one shares and which are recreated in this plan. */
  recreatedParents: readonly string[];
}

/** A `run` container: it belongs to its command, not to the service's replicas. */
export function isOneoff(c: ContainerState): boolean {
  return c.labels[LABEL.oneoff] === 'True';
}

export function containerNumber(c: ContainerState): number {
  const n = Number(c.labels[LABEL.number]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Why a container no longer matches its service, empty when it does. */
export function divergence(
  project: Project,
  service: Service,
  c: ContainerState,
  imageId: string | undefined,
): string[] {
  const reasons: string[] = [];
  if (c.labels[LABEL.configHash] !== serviceConfigHash(service, project)) reasons.push('config hash changed');
  const recordedImage = c.labels[LABEL.image];
  if (imageId && recordedImage && recordedImage !== imageId) reasons.push('image changed');
  if (c.status === 'running') {
    const attached = new Set(c.networks.map((n) => n.network));
    if (expectedNetworks(project, service).some((n) => !attached.has(n))) reasons.push('network set changed');
  }
  return reasons;
}

const isUp = (c: ContainerState): boolean => c.status === 'running' || c.status === 'restarting';

export function planServiceContainers(input: ServiceInput): ContainerAction[] {
  const { project, name } = input;
  const service = project.services[name] as Service;
  const stale = new Map(input.containers.map((c) => [c.id, divergence(project, service, c, input.imageId)]));
  const removals: ContainerAction[] = [];

  // An aborted recreate can leave two containers with one number: keep the best, drop the rest.
  const preference = (a: ContainerState, b: ContainerState): number =>
    (stale.get(a.id)?.length ? 1 : 0) - (stale.get(b.id)?.length ? 1 : 0) ||
    Number(isUp(b)) - Number(isUp(a)) ||
    b.createdAt - a.createdAt;
  const byNumber = new Map<number, ContainerState[]>();
  for (const c of input.containers)
    byNumber.set(containerNumber(c), [...(byNumber.get(containerNumber(c)) ?? []), c]);
  let kept: ContainerState[] = [];
  for (const group of byNumber.values()) {
    const [best, ...rest] = [...group].sort(preference);
    if (best) kept.push(best);
    for (const c of rest)
      removals.push({
        kind: 'remove',
        service: name,
        number: containerNumber(c),
        name: c.name,
        current: c,
        reason: 'duplicate',
      });
  }

  if (kept.length > input.replicas) {
    // Scale down drops diverged containers first, then the highest numbers, as docker compose does.
    const order = [...kept].sort(
      (a, b) =>
        (stale.get(b.id)?.length ? 1 : 0) - (stale.get(a.id)?.length ? 1 : 0) ||
        containerNumber(b) - containerNumber(a),
    );
    const excess = new Set(order.slice(0, kept.length - input.replicas).map((c) => c.id));
    for (const c of kept.filter((k) => excess.has(k.id))) {
      removals.push({
        kind: 'remove',
        service: name,
        number: containerNumber(c),
        name: c.name,
        current: c,
        reason: `scale ${input.replicas}`,
      });
    }
    kept = kept.filter((k) => !excess.has(k.id));
  }

  const actions: ContainerAction[] = [];
  for (const c of kept) {
    const number = containerNumber(c);
    const final = containerName(project, name, number);
    let reasons: string[] = [];
    if (input.strategy === 'diverged') reasons = [...(stale.get(c.id) ?? [])];
    if (input.strategy === 'force') reasons = ['forced'];
    if (input.strategy !== 'never') {
      for (const p of input.recreatedParents) reasons.push(`dependency ${p} recreated`);
      if (c.name !== final) reasons.push('name changed');
    }
    if (reasons.length > 0)
      actions.push({
        kind: 'recreate',
        service: name,
        number,
        name: final,
        current: c,
        reasons,
        stopFirst: false,
      });
    else if (isUp(c)) actions.push({ kind: 'keep', service: name, number, name: final, current: c });
    else actions.push({ kind: 'start', service: name, number, name: final, current: c });
  }
  let next = Math.max(0, ...input.containers.map(containerNumber));
  for (let i = kept.length; i < input.replicas; i++) {
    next++;
    actions.push({ kind: 'create', service: name, number: next, name: containerName(project, name, next) });
  }
  actions.sort((a, b) => a.number - b.number);
  removals.sort((a, b) => b.number - a.number || (a.name < b.name ? -1 : 1));
  return [...removals, ...actions];
}
