// `up --wait`: every service in scope must end running (healthy when it has a healthcheck); services that
// others wait on with service_completed_successfully must have exited 0 instead.
import type { DependencyGraph } from '../graph/dependency-graph.js';
import { LABEL } from '../runtime/types.js';
import type { ContainerState } from '../runtime/types.js';
import { formatDuration } from '../model/duration.js';
import { EngineError } from '../util/errors.js';
import { checkCompleted, checkRunningOrHealthy } from './conditions.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { interrupted, pollUntil } from './poll.js';

function describe(states: readonly ContainerState[]): string {
  return (
    states.map((c) => `${c.name} ${c.status}${c.health ? ` (${c.health})` : ''}`).join(', ') || 'no container'
  );
}

export async function waitForServices(
  ctx: EngineContext,
  graph: DependencyGraph,
  services: readonly string[],
  timeoutMs: number | undefined,
): Promise<void> {
  const oneShots = new Set<string>();
  for (const name of services) {
    for (const e of graph.dependencies.get(name) ?? []) {
      if (e.condition === 'service_completed_successfully') oneShots.add(e.service);
    }
  }
  const timeout = new AbortController();
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => timeout.abort(), timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout.signal]);
  const last = new Map<string, string>();
  const done = new Set<string>();
  try {
    await Promise.all(
      services.map(async (name) => {
        await pollUntil(
          async () => {
            const states = (await ctx.runtime.listContainers(ctx.project.name, { all: true })).filter(
              (c) => c.labels[LABEL.service] === name && c.labels[LABEL.oneoff] !== 'True',
            );
            last.set(name, describe(states));
            if (states.length === 0) return true;
            return oneShots.has(name) ? checkCompleted(name, states) : checkRunningOrHealthy(states);
          },
          ctx.pollIntervalMs,
          signal,
        );
        done.add(name);
        emit(
          ctx,
          'service',
          name,
          oneShots.has(name) ? 'completed' : 'healthy',
          oneShots.has(name) ? 'Completed' : 'Healthy',
          { service: name },
        );
      }),
    );
  } catch (e) {
    if (ctx.signal.aborted) throw interrupted(ctx.signal);
    if (timeout.signal.aborted) {
      const who = services.find((s) => !done.has(s)) ?? '';
      throw new EngineError(
        `application not healthy after ${formatDuration(timeoutMs ?? 0)}: service ${who} is not ready (${last.get(who) ?? 'unknown'})`,
      );
    }
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
