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

export class ResourceLines {
  private readonly byId = new Map<string, ResourceLine>();

  apply(e: EngineEvent): ApplyResult {
    const id = `${e.kind}:${e.name}`;
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

  /** Lines in order of first appearance. */
  list(): ResourceLine[] {
    return [...this.byId.values()];
  }
}
