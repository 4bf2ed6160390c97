// The one interface both runtime drivers implement (embedded and docker). The engine only ever talks
// to this; state is always observed from the runtime (labels), never from a second record that could drift.
import type { Project, Service } from '../model/types.js';
import type { EventSink } from '../engine/events.js';

export type ContainerStatus =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** Label keys, exactly as docker compose writes them. */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  oneoff: 'com.docker.compose.oneoff',
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  version: 'com.docker.compose.version',
  image: 'com.docker.compose.image',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
  slug: 'com.docker.compose.slug',
} as const;

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

/** A port the container exposes without a host binding; only while it runs, as Docker reports it. */
export interface ExposedPort {
  containerPort: number;
  protocol: PublishedPort['protocol'];
}

export interface ContainerNetworkState {
  /** Runtime network name, e.g. `myproj_default`. */
  network: string;
  ipv4Address?: string;
  ipv6Address?: string;
  macAddress?: string;
  /** The network's gateway: the host's address on it (what `extra_hosts: [x:host-gateway]` gives). */
  gateway?: string;
  aliases: string[];
}

export interface ContainerState {
  id: string;
  name: string;
  labels: Record<string, string>;
  image: string;
  /** The command line as `ps` shows it. */
  command: string;
  status: ContainerStatus;
  exitCode?: number;
  health?: HealthStatus;
  restartCount: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  pid?: number;
  networks: ContainerNetworkState[];
  ports: PublishedPort[];
  exposed?: ExposedPort[];
}

export interface NetworkState {
  id: string;
  name: string;
  labels: Record<string, string>;
  driver: string;
  internal: boolean;
  subnets: string[];
}

export interface VolumeState {
  name: string;
  labels: Record<string, string>;
  driver: string;
  mountpoint?: string;
  createdAt?: number;
}

export interface ImageInfo {
  /** The reference asked for, normalised (e.g. docker.io/library/redis:latest). */
  ref: string;
  /** Content digest of the image config (the image id). */
  id: string;
  digest?: string;
  size?: number;
  config: ImageConfig;
}

/** The part of an OCI image config a container needs. */
export interface ImageConfig {
  entrypoint?: string[] | null;
  cmd?: string[] | null;
  env?: string[];
  workingDir?: string;
  user?: string;
  stopSignal?: string;
  exposedPorts?: string[];
  volumes?: string[];
  labels?: Record<string, string>;
  /** Durations in milliseconds (image configs store nanoseconds: drivers convert); 0 or absent = unset. */
  healthcheck?: {
    test?: string[];
    interval?: number;
    timeout?: number;
    retries?: number;
    startPeriod?: number;
    startInterval?: number;
  };
}

export interface NetworkCreateRequest {
  /** Runtime name (`<project>_<key>`). */
  name: string;
  /** Compose key. */
  key: string;
  project: string;
  labels: Record<string, string>;
  config: Project['networks'][string];
  /** Static `ipv4_address`es of the project's services on this network: never handed out dynamically. */
  reservedAddresses?: string[];
}

export interface VolumeCreateRequest {
  name: string;
  key: string;
  project: string;
  labels: Record<string, string>;
  config: Project['volumes'][string];
}

export interface NetworkAttachRequest {
  /** Runtime network name. */
  network: string;
  /** Service name, container name and declared aliases. */
  aliases: string[];
  ipv4Address?: string;
  ipv6Address?: string;
  macAddress?: string;
  /** The interface's name inside the container (`interface_name`), instead of the next `ethN`. */
  interfaceName?: string;
  priority?: number;
}

export interface ContainerCreateRequest {
  name: string;
  project: Project;
  serviceName: string;
  service: Service;
  number: number;
  oneoff: boolean;
  labels: Record<string, string>;
  image: ImageInfo;
  networks: NetworkAttachRequest[];
  /** Overrides for one-off `run`. */
  command?: string[];
  entrypoint?: string[];
  extraEnv?: Record<string, string>;
  /**
   * The container will be run with runAttached (an attached one-off): the runtime leaves it created, with
   * nothing started on its behalf.
   */
  attached?: boolean;
}

export interface StopOptions {
  signal?: string;
  timeoutMs: number;
}

export interface LogOptions {
  follow: boolean;
  tail?: number;
  sinceMs?: number;
  untilMs?: number;
  signal?: AbortSignal;
}

export interface LogLine {
  time: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface ExecRequest {
  command: string[];
  user?: string;
  workingDir?: string;
  env?: Record<string, string>;
  tty: boolean;
  interactive: boolean;
  detach?: boolean;
  privileged?: boolean;
}

export interface RuntimeEvent {
  time: number;
  type: 'container' | 'network' | 'volume' | 'image';
  action: string;
  id: string;
  attributes: Record<string, string>;
}

export type PullPolicy = 'always' | 'missing' | 'never' | 'build';

/** The drivers behind `Runtime`; `memory` is the in-process double the engine's unit tests run against. */
export type RuntimeKind = 'embedded' | 'docker' | 'memory';

export interface Runtime {
  readonly kind: RuntimeKind;

  /**
   * Called by every command that changes or watches a project, before the engine runs: the embedded
   * runtime makes sure the project's supervisor is alive; the docker runtime has nothing to do.
   */
  prepare?(project: Project): Promise<void>;
  /**
   * Called by commands that only look (ps, logs, ...): the embedded runtime restarts a supervisor that
   * died (e.g. was killed) while the project still has containers, so restart policies resume.
   */
  adopt?(project: Project): Promise<void>;
  /**
   * Checks `up` makes before it creates anything, so bad input leaves nothing half-made: e.g. a published
   * host port that something else already holds. `services` are the services in scope.
   */
  preflight?(project: Project, services: string[]): Promise<void>;
  /** Called, with the project lock held, after a command that may have left the project empty (down, rm). */
  release?(project: Project): Promise<void>;

  ensureImage(ref: string, policy: PullPolicy, events?: EventSink, signal?: AbortSignal): Promise<ImageInfo>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  /**
   * Removes an image reference (every reference, given an id). Nothing to do when there is no such image;
   * refused while a container uses it, unless `force`.
   */
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>;

  listNetworks(project: string): Promise<NetworkState[]>;
  createNetwork(req: NetworkCreateRequest): Promise<NetworkState>;
  removeNetwork(name: string): Promise<void>;
  inspectNetwork(name: string): Promise<NetworkState | undefined>;

  listVolumes(project: string): Promise<VolumeState[]>;
  createVolume(req: VolumeCreateRequest): Promise<VolumeState>;
  removeVolume(name: string): Promise<void>;
  inspectVolume(name: string): Promise<VolumeState | undefined>;

  /**
   * Names of every project with a container in this runtime, running or not (the project label's
   * values), for `cmp ls`.
   */
  listProjects(): Promise<string[]>;

  /** Containers labelled with this project; `all` includes stopped ones. */
  listContainers(project: string, opts: { all: boolean }): Promise<ContainerState[]>;
  createContainer(req: ContainerCreateRequest): Promise<ContainerState>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, opts: StopOptions): Promise<void>;
  killContainer(id: string, signal: string): Promise<void>;
  removeContainer(id: string, opts: { force: boolean; volumes: boolean }): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerState | undefined>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  /** Resolves with the exit code once the container is no longer running, also when its restart policy will start it again. */
  waitContainer(id: string, signal?: AbortSignal): Promise<number>;
  logs(id: string, opts: LogOptions): AsyncIterable<LogLine>;
  exec(id: string, req: ExecRequest): Promise<number>;
  /**
   * Runs a container created with `attached: true` on this process's stdin, stdout and stderr (through a
   * terminal when it has a TTY) and resolves with its exit code: what `cmp run` needs to be interactive.
   * Optional: without it, run starts the one-off and follows its logs, with no stdin.
   */
  runAttached?(id: string): Promise<number>;
  /**
   * Finishes what calls left running in the background and throws its error (the embedded runtime
   * renders a new network's firewall rules while containers are made). The CLI calls it before exiting.
   */
  flush?(): Promise<void>;
  /**
   * Copies host files into a container (modes and owners kept; missing parent dirs made) and deletes
   * `deletions` (container paths, recursively) there: what `develop.watch` sync needs. Optional.
   */
  copyTo?(
    id: string,
    files: { hostPath: string; containerPath: string }[],
    deletions: string[],
  ): Promise<void>;

  /** `cp CONTAINER:SRC DEST`: a container path to the host, as `docker cp` does. Optional. */
  copyFromContainer?(id: string, src: string, dest: string, opts: CopyOptions): Promise<void>;
  /** `cp SRC CONTAINER:DEST`: a host path into the container. Optional. */
  copyToContainer?(id: string, src: string, dest: string, opts: CopyOptions): Promise<void>;
  /** `export`: the container's filesystem (without its volumes) as a tar stream. Optional. */
  exportContainer?(id: string): Promise<NodeJS.ReadableStream>;
  /** `stats`: what the container uses now; undefined when it does not run. Optional. */
  containerStats?(id: string): Promise<ContainerStats | undefined>;

  events(signal: AbortSignal): AsyncIterable<RuntimeEvent>;
}

export interface CopyOptions {
  /** `-L`: follow the source path itself when it is a symbolic link. */
  followLink: boolean;
  /** `-a`: keep the source's owners (uid/gid). */
  archive: boolean;
}

/** One look at a container's usage: counters since it started, so a rate needs two looks. */
export interface ContainerStats {
  /** CPU time used, in microseconds. */
  cpuUsec: number;
  memoryBytes: number;
  /** The memory limit; undefined when there is none (the host's memory applies). */
  memoryLimitBytes?: number;
  netRxBytes: number;
  netTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  pids: number;
}
