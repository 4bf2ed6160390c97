// What every engine step needs: the runtime, the project, where events go, and the caller's AbortSignal.
import type { Project } from '../model/types.js';
import type { Runtime } from '../runtime/types.js';
import type { EngineEvent, EventAction, EventSink, ResourceKind } from './events.js';

export interface EngineContext {
  runtime: Runtime;
  project: Project;
  sink: EventSink;
  signal: AbortSignal;
  pollIntervalMs: number;
  concurrency: number | undefined;
  /** `-t`, over each service's stop_grace_period. */
  timeoutMs: number | undefined;
}

export function makeContext(
  runtime: Runtime,
  project: Project,
  sink: EventSink | undefined,
  signal: AbortSignal | undefined,
  opts: { pollIntervalMs?: number; concurrency?: number; timeoutMs?: number } = {},
): EngineContext {
  return {
    runtime,
    project,
    sink: sink ?? (() => undefined),
    signal: signal ?? new AbortController().signal,
    pollIntervalMs: opts.pollIntervalMs ?? 100,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
  };
}

export function emit(
  ctx: EngineContext,
  kind: ResourceKind,
  name: string,
  action: EventAction,
  status: string,
  extra: Partial<Pick<EngineEvent, 'service' | 'detail'>> = {},
): void {
  ctx.sink({ time: Date.now(), kind, name, action, status, ...extra });
}
