// The plan is data: what `up`, `down` and `stop` will do, computed from the model and the observed runtime
// state without side effects, printed for --dry-run and executed by the engine.
import type { Network, Volume } from '../model/types.js';
import type { ContainerState, ImageInfo, NetworkState, PullPolicy, VolumeState } from '../runtime/types.js';

/** What the runtime holds for one project, read through its labels plus direct look-ups of declared names. */
export interface ObservedState {
  /** Containers labelled with the project, stopped ones included, one-offs excluded. */
  containers: ContainerState[];
  /** The project's one-off (`run`) containers, stopped ones included: only `down` and orphan removal touch them. */
  oneoffs: ContainerState[];
  /** Networks labelled with the project. */
  networks: NetworkState[];
  /** Volumes labelled with the project. */
  volumes: VolumeState[];
  /** Every declared network by runtime name, labelled or not; null when absent. */
  declaredNetworks: Record<string, NetworkState | null>;
  declaredVolumes: Record<string, VolumeState | null>;
  /** Images by reference as present locally; null when absent. */
  images: Record<string, ImageInfo | null>;
}

export interface UpOptions {
  /** Services named on the command line; empty means all. */
  services?: string[];
  /** `--all-resources`: every declared network and volume, not only those the services in scope use. */
  allResources?: boolean;
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  alwaysRecreateDeps?: boolean;
  /** `--scale S=N`, over `scale:` and `deploy.replicas`. */
  scale?: Record<string, number>;
  removeOrphans?: boolean;
  /** `-t`: stop timeout for containers replaced or restarted, over stop_grace_period. */
  timeoutMs?: number;
  /** `--wait`: return once every service is running or healthy (one-shots completed). */
  wait?: boolean;
  waitTimeoutMs?: number;
  /** Visitors in flight at once; default unbounded like docker compose. */
  concurrency?: number;
  /** How often conditions are polled; default 100 ms. */
  pollIntervalMs?: number;
}

export type ResourceStep<T> =
  | { action: 'create'; key: string; name: string; config: T }
  | { action: 'exists'; key: string; name: string; config: T }
  | { action: 'external'; key: string; name: string; config: T }
  /**
   * A network whose configuration changed: removed and made again, as compose does, after the containers
   * on it are stopped and removed (their services get new ones).
   */
  | { action: 'recreate'; key: string; name: string; config: T; containers: ContainerState[] };

export interface ImageStep {
  service: string;
  ref: string;
  policy: PullPolicy;
  /** Only `build:` was given: cmp cannot build yet, so the image must already exist under this name. */
  buildOnly: boolean;
  present: boolean;
}

interface ContainerActionBase {
  service: string;
  number: number;
  /** Final container name. */
  name: string;
}

export type ContainerAction =
  | (ContainerActionBase & { kind: 'create' })
  | (ContainerActionBase & {
      kind: 'recreate';
      current: ContainerState;
      reasons: string[];
      /** Stop the old container before any dependency is recreated (depends_on.restart). */
      stopFirst: boolean;
    })
  | (ContainerActionBase & { kind: 'start'; current: ContainerState })
  | (ContainerActionBase & { kind: 'keep'; current: ContainerState })
  | (ContainerActionBase & { kind: 'restart'; current: ContainerState; reason: string })
  | (ContainerActionBase & { kind: 'remove'; current: ContainerState; reason: string });

export interface ServicePlan {
  name: string;
  /** Containers wanted after the plan ran. */
  replicas: number;
  actions: ContainerAction[];
}

export interface UpPlan {
  project: string;
  warnings: string[];
  networks: ResourceStep<Network>[];
  volumes: ResourceStep<Volume>[];
  images: ImageStep[];
  /** Services in scope, dependencies first. */
  services: ServicePlan[];
  /** Containers of services that are not in the model; removed only with --remove-orphans. */
  orphans: ContainerState[];
  removeOrphans: boolean;
}

export interface DownOptions {
  services?: string[];
  /** `-v`: remove named volumes (not external ones) and anonymous volumes. */
  volumes?: boolean;
  removeOrphans?: boolean;
  timeoutMs?: number;
  concurrency?: number;
}

export interface ContainerRemoval {
  service: string;
  container: ContainerState;
  /** Running containers are stopped first. */
  stop: boolean;
}

export interface DownPlan {
  project: string;
  warnings: string[];
  /** In reverse dependency order (dependents first). */
  containers: ContainerRemoval[];
  orphans: ContainerRemoval[];
  networks: string[];
  volumes: string[];
  removeVolumes: boolean;
}

export interface StopPlan {
  project: string;
  /** In reverse dependency order. */
  containers: ContainerRemoval[];
}
