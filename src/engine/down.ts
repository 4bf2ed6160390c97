// `down` and `stop`: dependents before their dependencies, each container with its own stop signal and
// grace period (or -t), services on independent branches in parallel.
import { buildGraph } from '../graph/dependency-graph.js';
import { traverse } from '../graph/traverse.js';
import type { Project } from '../model/types.js';
import { observe } from '../plan/observe.js';
import { computeDownPlan, computeStopPlan } from '../plan/plan-down.js';
import type { ContainerRemoval, DownOptions, DownPlan, StopPlan } from '../plan/types.js';
import type { Runtime } from '../runtime/types.js';
import { CmpError } from '../util/errors.js';
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
  const only = new Set(items.map((r) => r.service));
  try {
    await traverse(
      buildGraph(project),
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
  await Promise.all([
    ...plan.networks.map(async (n) => {
      emit(ctx, 'network', n, 'remove', 'Removing');
      try {
        await runtime.removeNetwork(n);
        emit(ctx, 'network', n, 'removed', 'Removed');
      } catch (e) {
        // Another project's container may still be attached; compose skips such a network too.
        emit(ctx, 'network', n, 'warning', 'Resource is still in use', {
          detail: e instanceof Error ? e.message : String(e),
        });
      }
    }),
    ...plan.volumes.map(async (v) => {
      emit(ctx, 'volume', v, 'remove', 'Removing');
      await runtime.removeVolume(v);
      emit(ctx, 'volume', v, 'removed', 'Removed');
    }),
  ]);
  return plan;
}

export async function stop(
  runtime: Runtime,
  project: Project,
  options: { services?: string[]; timeoutMs?: number; concurrency?: number } = {},
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<StopPlan> {
  const ctx = makeContext(runtime, project, sink, signal, options);
  const plan = computeStopPlan(project, await observe(runtime, project), options.services ?? []);
  await inReverseOrder(ctx, project, plan.containers, (r) => stopContainer(ctx, r.service, r.container));
  return plan;
}
