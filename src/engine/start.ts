// `start` and `restart` reuse the up executor with plans built from existing containers only, so they wait
// on the same dependency conditions and honour depends_on.restart the same way.
import { buildGraph } from '../graph/dependency-graph.js';
import { restartDependents, withDependencies } from '../graph/select.js';
import type { Project } from '../model/types.js';
import { observe } from '../plan/observe.js';
import { containerNumber } from '../plan/plan-containers.js';
import type { ContainerAction, ServicePlan, UpPlan } from '../plan/types.js';
import { LABEL } from '../runtime/types.js';
import type { ContainerState, Runtime } from '../runtime/types.js';
import { EngineError } from '../util/errors.js';
import { makeContext } from './context.js';
import type { EventSink } from './events.js';
import { executeUp } from './execute-up.js';
import { waitForServices } from './wait.js';

export interface StartOptions {
  services?: string[];
  wait?: boolean;
  waitTimeoutMs?: number;
  concurrency?: number;
  pollIntervalMs?: number;
}

export interface RestartOptions {
  services?: string[];
  /** Do not take dependents declaring `restart: true` along. */
  noDeps?: boolean;
  timeoutMs?: number;
  concurrency?: number;
  pollIntervalMs?: number;
}

function emptyPlan(project: Project, services: ServicePlan[]): UpPlan {
  return {
    project: project.name,
    warnings: [],
    networks: [],
    volumes: [],
    images: [],
    services,
    orphans: [],
    removeOrphans: false,
  };
}

function servicePlans(
  order: readonly string[],
  containers: readonly ContainerState[],
  toAction: (service: string, c: ContainerState) => ContainerAction,
): ServicePlan[] {
  return order.map((name) => {
    const own = containers
      .filter((c) => c.labels[LABEL.service] === name)
      .sort((a, b) => containerNumber(a) - containerNumber(b));
    return { name, replicas: own.length, actions: own.map((c) => toAction(name, c)) };
  });
}

export async function start(
  runtime: Runtime,
  project: Project,
  options: StartOptions = {},
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<void> {
  const ctx = makeContext(runtime, project, sink, signal, options);
  const graph = buildGraph(project);
  const scope = withDependencies(graph, options.services ?? []);
  const order = graph.order.filter((n) => scope.has(n));
  const observed = await observe(runtime, project);
  // As compose: starting a project that has nothing to start is an error a script can see, not a no-op.
  if (observed.containers.length === 0)
    throw new EngineError(`no container found for project "${project.name}"`, {
      hint: 'create them with `cmp up` or `cmp create`',
    });
  const plans = servicePlans(order, observed.containers, (service, c) =>
    c.status === 'running' || c.status === 'restarting'
      ? { kind: 'keep', service, number: containerNumber(c), name: c.name, current: c }
      : { kind: 'start', service, number: containerNumber(c), name: c.name, current: c },
  );
  const empty = plans.find((p) => p.actions.length === 0 && (options.services ?? []).includes(p.name));
  if (empty)
    throw new EngineError(`service "${empty.name}" has no container to start`, {
      hint: 'create it with `cmp up`',
    });
  await executeUp(ctx, graph, emptyPlan(project, plans), new Map());
  if (options.wait) await waitForServices(ctx, graph, order, options.waitTimeoutMs);
}

export async function restart(
  runtime: Runtime,
  project: Project,
  options: RestartOptions = {},
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<void> {
  const ctx = makeContext(runtime, project, sink, signal, options);
  const graph = buildGraph(project);
  const named = options.services?.length ? options.services : [...graph.nodes];
  const scope = new Set(withDependencies(graph, named, true));
  if (!options.noDeps) for (const d of restartDependents(graph, named)) scope.add(d);
  const order = graph.order.filter((n) => scope.has(n));
  const observed = await observe(runtime, project);
  const plans = servicePlans(order, observed.containers, (service, c) => ({
    kind: 'restart',
    service,
    number: containerNumber(c),
    name: c.name,
    current: c,
    reason: 'restart',
  }));
  await executeUp(ctx, graph, emptyPlan(project, plans), new Map());
}
