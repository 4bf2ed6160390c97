// Runs an UpPlan: resources first, then dependents of recreated services are stopped, then services are
// visited dependencies-first; each visit waits for its dependencies' conditions, then converges its containers.
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { Service } from '../model/types.js';
import { traverse } from '../graph/traverse.js';
import type { ContainerAction, ServicePlan, UpPlan } from '../plan/types.js';
import type { ContainerState, ImageInfo } from '../runtime/types.js';
import { LABEL } from '../runtime/types.js';
import { CmpError, EngineError } from '../util/errors.js';
import { waitForCondition } from './conditions.js';
import {
  createContainer,
  recreateContainer,
  removeContainer,
  startContainer,
  stopContainer,
  stopForRestart,
} from './container-ops.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { interrupted, throwIfAborted } from './poll.js';
import { createNetworksAndVolumes } from './resources.js';
import { checkProviders, joinsAnother } from './shared-namespaces.js';

export interface ExecuteOptions {
  /**
   * `up --no-start`: create and recreate containers but start none. Nothing is waited on (no dependency
   * runs) and running dependents of a recreated service are left alone: nothing would start them again.
   */
  noStart?: boolean;
}

interface Outcome {
  error?: CmpError;
  containers: RanContainer[];
}

interface RanContainer {
  id: string;
  name: string;
}

function stopsFirst(a: ContainerAction): boolean {
  return a.kind === 'restart' || (a.kind === 'recreate' && a.stopFirst);
}

/** depends_on.restart: stop dependents, dependents first, before anything they depend on is replaced. */
async function stopDependentsFirst(ctx: EngineContext, graph: DependencyGraph, plan: UpPlan): Promise<void> {
  const affected = new Set(plan.services.filter((s) => s.actions.some(stopsFirst)).map((s) => s.name));
  if (affected.size === 0) return;
  await traverse(
    graph,
    { direction: 'down', only: affected, concurrency: ctx.concurrency, signal: ctx.signal },
    async (name) => {
      const sp = plan.services.find((s) => s.name === name) as ServicePlan;
      for (const a of sp.actions.filter(stopsFirst)) {
        if (a.kind === 'restart') await stopForRestart(ctx, name, a.current);
        else if ('current' in a) await stopContainer(ctx, name, a.current);
      }
    },
  );
}

/**
 * Like compose, every new container is created before any is started: creation does not depend on
 * other services, so it overlaps, and only the starts wait for their dependencies' conditions. A
 * container that joins another's network namespace or volumes is the exception: it is created in the
 * traversal, once its provider runs.
 */
function createAhead(
  ctx: EngineContext,
  plan: UpPlan,
  images: ReadonlyMap<string, ImageInfo>,
): Map<ContainerAction, Promise<ContainerState>> {
  const ahead = new Map<ContainerAction, Promise<ContainerState>>();
  for (const sp of plan.services) {
    const image = images.get(sp.name);
    if (!image || joinsAnother(ctx.project.services[sp.name] as Service)) continue;
    for (const a of sp.actions) {
      if (a.kind !== 'create') continue;
      const pending = createContainer(ctx, a.service, a.number, a.name, image);
      // Awaited by the service's visit; a failure is reported there, not as an unhandled rejection.
      pending.catch(() => undefined);
      ahead.set(a, pending);
    }
  }
  return ahead;
}

async function runAction(
  ctx: EngineContext,
  a: ContainerAction,
  image: ImageInfo | undefined,
  ahead: ReadonlyMap<ContainerAction, Promise<ContainerState>>,
  noStart: boolean,
): Promise<RanContainer | undefined> {
  const need = (): ImageInfo => {
    if (!image) throw new EngineError(`no image resolved for service "${a.service}"`);
    return image;
  };
  switch (a.kind) {
    case 'remove':
      await stopContainer(ctx, a.service, a.current);
      await removeContainer(ctx, a.service, a.current);
      return undefined;
    case 'create': {
      const c = await (ahead.get(a) ?? createContainer(ctx, a.service, a.number, a.name, need()));
      if (!noStart) await startContainer(ctx, a.service, c);
      return { id: c.id, name: a.name };
    }
    case 'recreate': {
      const c = await recreateContainer(ctx, a.service, a.number, a.current, a.name, need());
      if (!noStart) await startContainer(ctx, a.service, c);
      return { id: c.id, name: a.name };
    }
    case 'start':
    case 'restart': {
      const ran = { id: a.current.id, name: a.name };
      if (noStart) return ran;
      if (a.kind === 'restart')
        await startContainer(ctx, a.service, { ...a.current, status: 'exited' }, true);
      else await startContainer(ctx, a.service, a.current);
      return ran;
    }
    case 'keep':
      emit(ctx, 'container', a.name, 'started', 'Running', { service: a.service });
      return { id: a.current.id, name: a.name };
  }
}

function asCmpError(e: unknown): CmpError {
  if (e instanceof CmpError) return e;
  return new EngineError(e instanceof Error ? e.message : String(e), { cause: e });
}

const ANNOUNCED_STATUS = { waiting: 'Waiting', healthy: 'Healthy', exited: 'Exited' } as const;

/** compose's lines for a dependency's containers while others wait on it (`Waiting`, then `Healthy`/`Exited`), once per up. */
function announce(
  ctx: EngineContext,
  announced: Set<string>,
  key: string,
  containers: readonly RanContainer[],
  service: string,
  action: keyof typeof ANNOUNCED_STATUS,
): void {
  if (announced.has(key)) return;
  announced.add(key);
  for (const c of containers) emit(ctx, 'container', c.name, action, ANNOUNCED_STATUS[action], { service });
}

async function waitDependencies(
  ctx: EngineContext,
  graph: DependencyGraph,
  name: string,
  outcomes: Map<string, Outcome>,
  signal: AbortSignal,
  announced: Set<string>,
): Promise<void> {
  for (const missing of graph.missingOptional.get(name) ?? []) {
    emit(ctx, 'service', name, 'warning', `optional dependency "${missing}" is not defined`, {
      service: name,
    });
  }
  await Promise.all(
    (graph.dependencies.get(name) ?? []).map(async (edge) => {
      const dep = outcomes.get(edge.service);
      if (!dep) return; // Outside the scope (--no-deps, or not selected): not waited on, like compose.
      try {
        if (dep.error)
          throw new EngineError(`dependency ${edge.service} failed to start: ${dep.error.message}`, {
            cause: dep.error,
          });
        if (edge.condition !== 'service_started') {
          emit(ctx, 'service', name, 'waiting', `Waiting for ${edge.service} (${edge.condition})`, {
            service: name,
          });
          announce(ctx, announced, `waiting:${edge.service}`, dep.containers, edge.service, 'waiting');
        }
        const ids = dep.containers.map((c) => c.id);
        await waitForCondition(ctx, edge.service, edge.condition, ids, signal);
        // Said once per dependency, so progress and --timeline show when it became ready.
        if (edge.condition === 'service_healthy')
          announce(ctx, announced, `healthy:${edge.service}`, dep.containers, edge.service, 'healthy');
        else if (edge.condition === 'service_completed_successfully')
          announce(ctx, announced, `exited:${edge.service}`, dep.containers, edge.service, 'exited');
      } catch (e) {
        if (signal.aborted) throw interrupted(signal);
        const err = asCmpError(e);
        if (edge.required) throw err;
        emit(
          ctx,
          'service',
          name,
          'warning',
          `optional dependency "${edge.service}" failed to start: ${err.message}`,
          { service: name },
        );
      }
    }),
  );
}

export async function executeUp(
  ctx: EngineContext,
  graph: DependencyGraph,
  plan: UpPlan,
  images: ReadonlyMap<string, ImageInfo>,
  opts: ExecuteOptions = {},
): Promise<void> {
  const noStart = opts.noStart === true;
  for (const w of plan.warnings) emit(ctx, 'project', plan.project, 'warning', w);
  await createNetworksAndVolumes(ctx, plan);
  if (plan.removeOrphans) {
    for (const o of plan.orphans) {
      await stopContainer(ctx, o.labels[LABEL.service] ?? '', o);
      await removeContainer(ctx, o.labels[LABEL.service] ?? '', o);
    }
  }
  if (!noStart) await stopDependentsFirst(ctx, graph, plan);

  const ahead = createAhead(ctx, plan, images);
  const outcomes = new Map<string, Outcome>();
  const announced = new Set<string>();
  const order: Array<{ at: number; error: CmpError }> = [];
  const only = new Set(plan.services.map((s) => s.name));
  try {
    await traverse(
      graph,
      { direction: 'up', only, concurrency: ctx.concurrency, signal: ctx.signal },
      async (name, signal) => {
        const sp = plan.services.find((s) => s.name === name) as ServicePlan;
        const outcome: Outcome = { containers: [] };
        try {
          if (!noStart) await waitDependencies(ctx, graph, name, outcomes, signal, announced);
          if (sp.actions.some((a) => a.kind !== 'remove')) await checkProviders(ctx, name);
          for (const a of sp.actions) {
            throwIfAborted(signal);
            const ran = await runAction(ctx, a, images.get(name), ahead, noStart);
            if (ran) outcome.containers.push(ran);
          }
        } catch (e) {
          if (signal.aborted) throw interrupted(signal);
          outcome.error = asCmpError(e);
          order.push({ at: Date.now(), error: outcome.error });
          emit(ctx, 'service', name, 'error', 'Error', { service: name, detail: outcome.error.message });
        }
        outcomes.set(name, outcome);
      },
    );
  } catch (e) {
    if (ctx.signal.aborted) throw interrupted(ctx.signal);
    throw asCmpError(e);
  }
  const first = order[0];
  if (first) throw first.error;
}
