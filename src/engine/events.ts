// Typed events the engine (and the supervisor) emit; UIs, `--timeline` and `cmp events` consume them.

export type ResourceKind = 'network' | 'volume' | 'image' | 'container' | 'service' | 'project';

export type EventAction =
  | 'create'
  | 'recreate'
  | 'start'
  | 'started'
  | 'healthy'
  | 'unhealthy'
  | 'exited'
  | 'completed'
  | 'waiting'
  | 'stop'
  | 'stopped'
  | 'kill'
  | 'remove'
  | 'removed'
  | 'restart'
  | 'pull'
  | 'pulled'
  | 'progress'
  | 'warning'
  | 'error'
  | 'skip';

export interface EngineEvent {
  /** Milliseconds since the epoch. */
  time: number;
  kind: ResourceKind;
  /** Resource name: container, network or volume name, image reference, or service name. */
  name: string;
  service?: string;
  action: EventAction;
  /** Short human status, e.g. "Started", "Waiting for db (service_healthy)". */
  status: string;
  detail?: string;
  /** For pulls: bytes done and total. */
  current?: number;
  total?: number;
}

export type EventSink = (event: EngineEvent) => void;
