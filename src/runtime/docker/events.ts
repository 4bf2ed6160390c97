// The engine's event stream, narrowed to compose-labelled objects and mapped to RuntimeEvents.
import type Dockerode from 'dockerode';
import type { RuntimeEvent } from '../types.js';
import { LABEL } from '../types.js';
import { call } from './errors.js';
import { jsonLines } from './json-lines.js';

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

const TYPES = new Set<RuntimeEvent['type']>(['container', 'network', 'volume', 'image']);

/** `health_status: healthy` and `exec_start: sh -c …` carry a detail after the action name. */
export function toRuntimeEvent(e: EngineEvent): RuntimeEvent | undefined {
  const type = e.Type as RuntimeEvent['type'];
  if (!TYPES.has(type) || !e.Action) return undefined;
  const attributes = { ...(e.Actor?.Attributes ?? {}) };
  let action = e.Action;
  const colon = action.indexOf(': ');
  if (colon > 0) {
    const detail = action.slice(colon + 2);
    action = action.slice(0, colon);
    if (action === 'health_status') attributes.health = detail;
    else attributes.detail = detail;
  }
  const time = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000;
  return { time, type, action, id: e.Actor?.ID ?? '', attributes };
}

export async function* engineEvents(
  docker: Dockerode,
  signal: AbortSignal,
  project: string | undefined,
  sinceMs: number,
): AsyncIterable<RuntimeEvent> {
  // Without a project: everything compose-labelled. Network connect events are labelled by the network.
  const label = project === undefined ? LABEL.project : `${LABEL.project}=${project}`;
  if (signal.aborted) return;
  // `since` replays what happened between the caller asking and the subscription being in place.
  const since = (sinceMs / 1000).toFixed(9) as unknown as number;
  const stream = await call('events', () =>
    docker.getEvents({ since, filters: { label: [label] }, abortSignal: signal }),
  );
  const onAbort = (): void => {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const raw of jsonLines<EngineEvent>(stream)) {
      const ev = toRuntimeEvent(raw);
      if (ev) yield ev;
    }
  } catch (e) {
    if (!signal.aborted) throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
    onAbort();
  }
}
