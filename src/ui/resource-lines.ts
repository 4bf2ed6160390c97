// Folds engine events into one line per resource (network, volume, image, container...), the shape
// every progress renderer shows.
import type { EngineEvent, ResourceKind } from '../engine/events.js';

export type LineState = 'working' | 'done' | 'warning' | 'error';

export interface ResourceLine {
  id: string;
  kind: ResourceKind;
  name: string;
  status: string;
  state: LineState;
  detail?: string;
  /** Time of the resource's first event: elapsed times count from here. */
  firstAt: number;
  lastAt: number;
  /** Pull progress in bytes. */
  current?: number;
  total?: number;
}

const KIND_LABEL: Record<ResourceKind, string> = {
  network: 'Network',
  volume: 'Volume',
  image: 'Image',
  container: 'Container',
  service: 'Service',
  project: 'Project',
};

export function kindLabel(kind: ResourceKind): string {
  return KIND_LABEL[kind];
}

// Status words are compose's ("Creating", "Started"...): a present participle means still working.
export function lineState(e: EngineEvent): LineState {
  if (e.action === 'error') return 'error';
  if (e.action === 'warning' || e.action === 'unhealthy') return 'warning';
  if (e.action === 'waiting' || e.action === 'progress') return 'working';
  const word = e.status.trim().split(/\s+/)[0] ?? '';
  return /ing$/i.test(word) && word.toLowerCase() !== 'running' ? 'working' : 'done';
}

export interface ApplyResult {
  line: ResourceLine;
  /** The status or state shown for the resource changed (progress-only updates do not count). */
  changed: boolean;
  /** First event of this resource. */
  isNew: boolean;
}

// A service's wait for its dependencies gets a row of its own: the service's row is the dependency's
// "Healthy" when others wait on it, and the wait must not be overwritten by it.
function lineId(e: EngineEvent): string {
  return e.kind === 'service' && e.action === 'waiting' ? `wait:${e.name}` : `${e.kind}:${e.name}`;
}

// Events that show a service has moved past its dependency wait. Not `create`: new containers are
// created ahead, in parallel with the wait, so a late "Created" says nothing about it.
function endsWait(e: EngineEvent): string | undefined {
  if (['waiting', 'create', 'progress', 'warning'].includes(e.action)) return undefined;
  return e.service ?? (e.kind === 'service' ? e.name : undefined);
}

export class ResourceLines {
  private readonly byId = new Map<string, ResourceLine>();

  apply(e: EngineEvent): ApplyResult {
    this.settleWait(e);
    const id = lineId(e);
    const prev = this.byId.get(id);
    const state = lineState(e);
    const line: ResourceLine = {
      id,
      kind: e.kind,
      name: e.name,
      status: e.status,
      state,
      firstAt: prev?.firstAt ?? e.time,
      lastAt: e.time,
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      ...(e.current !== undefined
        ? { current: e.current }
        : prev?.current !== undefined
          ? { current: prev.current }
          : {}),
      ...(e.total !== undefined
        ? { total: e.total }
        : prev?.total !== undefined
          ? { total: prev.total }
          : {}),
    };
    this.byId.set(id, line);
    return { line, changed: !prev || prev.status !== line.status || prev.state !== line.state, isNew: !prev };
  }

  /**
   * The engine says when a wait starts, not when it ends: it has ended once the service does anything
   * else (starts, keeps, recreates its containers, or fails). A failed service's error row says why, so
   * its wait row goes.
   */
  private settleWait(e: EngineEvent): void {
    const service = endsWait(e);
    const wait = service === undefined ? undefined : this.byId.get(`wait:${service}`);
    if (!wait || wait.state !== 'working') return;
    if (e.action === 'error') {
      this.byId.delete(wait.id);
      return;
    }
    this.byId.set(wait.id, {
      ...wait,
      status: wait.status.replace(/^Waiting\b/, 'Waited'),
      state: 'done',
      lastAt: e.time,
    });
  }

  /** Lines in order of first appearance. */
  list(): ResourceLine[] {
    return [...this.byId.values()];
  }
}
