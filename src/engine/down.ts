// `down` and `stop`: dependents before their dependencies, each container with its own stop signal and
// grace period (or -t), services on independent branches in parallel.
import { buildGraph } from '../graph/dependency-graph.js';
import { traverse } from '../graph/traverse.js';
import type { Project } from '../model/types.js';
import { observe } from '../plan/observe.js';
import { computeDownPlan, computeStopPlan } from '../plan/plan-down.js';
import type { ContainerRemoval, DownOptions, DownPlan, StopPlan } from '../plan/types.js';
import { findOrphans } from '../plan/plan-up.js';
import type { ContainerState, Runtime } from '../runtime/types.js';
import { CmpError, EngineError } from '../util/errors.js';
import { emit, makeContext } from './context.js';
import type { EngineContext } from './context.js';
import { removeContainer, stopContainer } from './container-ops.js';
import type { EventSink } from './events.js';
import { interrupted } from './poll.js';

async function inReverseOrder(
  ctx: EngineContext,
  project: Project,
  items: readonly ContainerRemoval[],
  act: (r: ContainerRemoval) => Promise<void>,
): Promise<void> {
  const graph = buildGraph(project);
  const only = new Set(items.map((r) => r.service));
  try {
    // Containers of services outside the graph (switched off by profiles) go first: nothing in it needs them.
    await Promise.all(items.filter((r) => !graph.nodes.includes(r.service)).map(act));
    await traverse(
      graph,
      { direction: 'down', only, concurrency: ctx.concurrency, signal: ctx.signal },
      async (name) => {
        await Promise.all(items.filter((r) => r.service === name).map(act));
      },
    );
  } catch (e) {
    if (ctx.signal.aborted && !(e instanceof CmpError)) throw interrupted(ctx.signal);
    throw e;
  }
}

export async function down(
  runtime: Runtime,
  project: Project,
  options: DownOptions = {},
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<DownPlan> {
  const ctx = makeContext(runtime, project, sink, signal, options);
  const plan = computeDownPlan(project, await observe(runtime, project), options);
  for (const w of plan.warnings) emit(ctx, 'project', project.name, 'warning', w);
  const removeOne = async (r: ContainerRemoval): Promise<void> => {
    if (r.stop) await stopContainer(ctx, r.service, r.container);
    await removeContainer(ctx, r.service, r.container, plan.removeVolumes);
  };
  await inReverseOrder(ctx, project, plan.containers, removeOne);
  for (const o of plan.orphans) await removeOne(o);
  // What could not be removed is reported as compose does, the rest still goes, and then `down` fails
  // naming it: a script must not take a half-removed project for a removed one.
  const left: string[] = [];
  const removeResource = async (
    kind: 'network' | 'volume',
    name: string,
    remove: (n: string) => Promise<void>,
  ): Promise<void> => {
    emit(ctx, kind, name, 'remove', 'Removing');
    try {
      await remove(name);
      emit(ctx, kind, name, 'removed', 'Removed');
    } catch (e) {
      const detail = e instanceof CmpError && e.hint ? `${e.message} (${e.hint})` : errorText(e);
      emit(ctx, kind, name, 'warning', 'Resource is still in use', { detail });
      left.push(`${kind} ${name}: ${detail}`);
    }
  };
  await Promise.all([
    ...plan.networks.map((n) => removeResource('network', n, (x) => runtime.removeNetwork(x))),
    ...plan.volumes.map((v) => removeResource('volume', v, (x) => runtime.removeVolume(x))),
  ]);
  if (left.length > 0) {
    const kept = options.removeOrphans ? [] : findOrphans(project, await liveContainers(runtime, project));
    throw new EngineError(
      `down left ${left.length === 1 ? 'a resource' : 'resources'} behind: ${left.join('; ')}`,
      {
        hint:
          kept.length > 0
            ? `orphan containers (${kept.map((c) => c.name).join(', ')}) still use it: add --remove-orphans`
            : 'remove what still uses it, then run `cmp down` again',
      },
    );
  }
  return plan;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function liveContainers(runtime: Runtime, project: Project): Promise<ContainerState[]> {
  return runtime.listContainers(project.name, { all: true });
}

export async function stop(
  runtime: Runtime,
  project: Project,
  options: { services?: string[]; timeoutMs?: number; concurrency?: number; oneoffs?: boolean } = {},
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<StopPlan> {
  const ctx = makeContext(runtime, project, sink, signal, options);
  const plan = computeStopPlan(project, await observe(runtime, project), options.services ?? [], {
    oneoffs: options.oneoffs === true,
  });
  await inReverseOrder(ctx, project, plan.containers, async (r) => {
    if (r.stop) return stopContainer(ctx, r.service, r.container);
    // Already down: nothing to signal, but compose prints the lines all the same.
    emit(ctx, 'container', r.container.name, 'stop', 'Stopping', { service: r.service });
    emit(ctx, 'container', r.container.name, 'stopped', 'Stopped', { service: r.service });
  });
  return plan;
}
