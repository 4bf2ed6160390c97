// The engine's entry points for the CLI. Each observes the runtime, computes a plan, then executes it.
import { buildGraph } from '../graph/dependency-graph.js';
import { withDependencies } from '../graph/select.js';
import type { Project } from '../model/types.js';
import { observe } from '../plan/observe.js';
import { computeUpPlan } from '../plan/plan-up.js';
import { formatUpPlan } from '../plan/plan-text.js';
import type { UpOptions, UpPlan } from '../plan/types.js';
import type { Runtime } from '../runtime/types.js';
import { makeContext } from './context.js';
import type { EventSink } from './events.js';
import { executeUp } from './execute-up.js';
import { ensureImages } from './resources.js';
import { waitForServices } from './wait.js';

export interface EngineUpOptions extends UpOptions {
  /** `up --no-start`: networks, volumes and containers are made (diverged ones recreated), none is started. */
  noStart?: boolean;
}

/** For `up --dry-run`: the plan against the current state, nothing pulled or changed. */
export async function planUp(
  runtime: Runtime,
  project: Project,
  options: EngineUpOptions = {},
): Promise<{ plan: UpPlan; text: string }> {
  const computed = computeUpPlan(project, await observe(runtime, project), options);
  if (!options.noStart) return { plan: computed, text: formatUpPlan(computed) };
  // --no-start skips the starts and restarts (executeUp's noStart), so the printed plan leaves them out.
  const plan: UpPlan = {
    ...computed,
    services: computed.services.map((s) => ({
      ...s,
      actions: s.actions.filter((a) => a.kind !== 'start' && a.kind !== 'restart'),
    })),
  };
  return { plan, text: formatUpPlan(plan).replace(/: create and start$/gm, ': create') };
}

export async function up(
  runtime: Runtime,
  project: Project,
  options: EngineUpOptions = {},
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<UpPlan> {
  const ctx = makeContext(runtime, project, sink, signal, options);
  const graph = buildGraph(project);
  const scope = graph.order.filter((n) =>
    withDependencies(graph, options.services ?? [], options.noDeps).has(n),
  );
  // Checks that need the host (a published port already taken) come before anything is made.
  await runtime.preflight?.(project, scope);
  // Images first: the plan compares image ids and reads image healthchecks.
  const images = await ensureImages(ctx, scope);
  const plan = computeUpPlan(project, await observe(runtime, project), options);
  await executeUp(ctx, graph, plan, images, { noStart: options.noStart === true });
  if (options.wait && !options.noStart) {
    await waitForServices(
      ctx,
      graph,
      plan.services.filter((s) => s.replicas > 0).map((s) => s.name),
      options.waitTimeoutMs,
    );
  }
  return plan;
}
