// Dependency conditions, checked against the containers' observed state. Each check answers "done",
// "not yet" (undefined) or throws the reason the dependent can never start.
import type { DependencyCondition } from '../model/types.js';
import type { ContainerState } from '../runtime/types.js';
import { EngineError } from '../util/errors.js';
import type { EngineContext } from './context.js';
import { pollUntil } from './poll.js';

const running = (c: ContainerState): boolean => c.status === 'running' || c.status === 'restarting';

async function inspectAll(ctx: EngineContext, ids: readonly string[]): Promise<ContainerState[]> {
  const states = await Promise.all(ids.map((id) => ctx.runtime.inspectContainer(id)));
  return states.map((s, i) => {
    if (!s) throw new EngineError(`dependency failed to start: container ${ids[i] ?? ''} was removed`);
    return s;
  });
}

export function checkHealthy(states: readonly ContainerState[]): true | undefined {
  for (const c of states) {
    if (!running(c))
      throw new EngineError(`dependency failed to start: container ${c.name} exited (${c.exitCode ?? 0})`);
    if (c.health === 'unhealthy')
      throw new EngineError(`dependency failed to start: container ${c.name} is unhealthy`);
    if (c.health === undefined)
      throw new EngineError(`dependency failed to start: container ${c.name} has no healthcheck configured`);
  }
  return states.every((c) => c.health === 'healthy') ? true : undefined;
}

export function checkCompleted(service: string, states: readonly ContainerState[]): true | undefined {
  if (states.some(running) || states.some((c) => c.status === 'created')) return undefined;
  const failed = states.find((c) => (c.exitCode ?? 0) !== 0);
  if (failed) throw new EngineError(`dependency ${service} exited with code ${failed.exitCode ?? 0}`);
  return true;
}

/** Running, or healthy when the container has a healthcheck: what --wait asks of a long-running service. */
export function checkRunningOrHealthy(states: readonly ContainerState[]): true | undefined {
  for (const c of states) {
    if (!running(c)) throw new EngineError(`container ${c.name} exited (${c.exitCode ?? 0})`);
    if (c.health === 'unhealthy') throw new EngineError(`container ${c.name} is unhealthy`);
  }
  return states.every((c) => c.health === undefined || c.health === 'healthy') ? true : undefined;
}

/**
 * Waits until a dependency's containers meet the condition. `service_started` is met once the dependency's
 * own start returned, which the traversal already guarantees.
 */
export async function waitForCondition(
  ctx: EngineContext,
  service: string,
  condition: DependencyCondition,
  containerIds: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  if (condition === 'service_started' || containerIds.length === 0) return;
  await pollUntil(
    async () => {
      const states = await inspectAll(ctx, containerIds);
      return condition === 'service_healthy' ? checkHealthy(states) : checkCompleted(service, states);
    },
    ctx.pollIntervalMs,
    signal,
  );
}
