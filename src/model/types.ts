// The canonical project model. Keys use the Compose Specification's own names so that
// `cmp config` can print the model as it is, and so the schema in schemas/ describes it too.
// Every attribute is in its long syntax; the loader is the only producer.

/** A Go-style duration string as compose prints it, e.g. "1m30s". Use `durationMs()` to read it. */
export type Duration = string;

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export interface Project {
  name: string;
  /** Absolute project directory. */
  working_dir: string;
  /** Absolute paths of the compose files, in load order. */
  config_files: string[];
  /** Absolute paths of the env files that were read (may be empty). */
  env_files: string[];
  services: Record<string, Service>;
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  configs: Record<string, ConfigOrSecret>;
  secrets: Record<string, ConfigOrSecret>;
  /** `x-` keys at the top level, kept verbatim. */
  extensions: Record<string, unknown>;
  /** Services present in the files but switched off by profiles; kept so references can be explained. */
  disabled_services: Record<string, Service>;
  /**
   * The env files of the included projects that defined a config or secret (`included_env_files.secrets.x`),
   * nearest include first: an `environment:` source reads them under `env_files` and the process.
   */
  included_env_files?: IncludedEnvFiles;
}

export type IncludedEnvFiles = Record<'configs' | 'secrets', Record<string, string[]>>;

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ServiceDependency {
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
}

export interface PortConfig {
  name?: string;
  target: number;
  /** Host port or range ("8080" or "8080-8090"); absent means an ephemeral port. */
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  app_protocol?: string;
  mode: 'ingress' | 'host';
}

export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Absolute host path for binds, volume key for named volumes, absent for anonymous/tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z'; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceNetworkAttachment {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  interface_name?: string;
  driver_opts?: Record<string, string>;
  priority?: number;
  gw_priority?: number;
}

export interface Healthcheck {
  /** ["NONE"], ["CMD", ...] or ["CMD-SHELL", "..."] */
  test?: string[];
  interval?: Duration;
  timeout?: Duration;
  retries?: number;
  start_period?: Duration;
  start_interval?: Duration;
  disable?: boolean;
}

export interface RestartPolicyDeploy {
  condition?: 'none' | 'on-failure' | 'any';
  delay?: Duration;
  max_attempts?: number;
  window?: Duration;
}

export interface Deploy {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  restart_policy?: RestartPolicyDeploy;
  resources?: {
    limits?: { cpus?: string; memory?: number; pids?: number };
    reservations?: { cpus?: string; memory?: number };
  };
  [key: string]: unknown;
}

export interface BuildConfig {
  /** Absolute path or URL. */
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface ServiceFileRef {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface WatchRule {
  action: 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';
  path: string;
  target?: string;
  ignore?: string[];
  include?: string[];
  initial_sync?: boolean;
  exec?: {
    command: string[];
    user?: string;
    privileged?: boolean;
    working_dir?: string;
    environment?: Record<string, string>;
  };
}

export interface Service {
  image?: string;
  build?: BuildConfig;
  pull_policy?: 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'daily' | 'weekly' | string;
  command?: string[] | null;
  entrypoint?: string[] | null;
  working_dir?: string;
  user?: string;
  hostname?: string;
  domainname?: string;
  container_name?: string;
  /** Resolved environment: env_file entries merged under `environment`. null = passed through unset. */
  environment: Record<string, string | null>;
  labels: Record<string, string>;
  depends_on: Record<string, ServiceDependency>;
  links?: string[];
  external_links?: string[];
  ports: PortConfig[];
  expose?: string[];
  volumes: ServiceVolume[];
  volumes_from?: string[];
  tmpfs?: string[];
  /** null value: attached with no options. Absent key `networks` never happens: the default network is filled in. */
  networks: Record<string, ServiceNetworkAttachment | null>;
  network_mode?: string;
  ipc?: string;
  pid?: string;
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  extra_hosts?: string[];
  mac_address?: string;
  healthcheck?: Healthcheck;
  restart?: string;
  deploy?: Deploy;
  scale?: number;
  init?: boolean;
  tty?: boolean;
  stdin_open?: boolean;
  read_only?: boolean;
  privileged?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  sysctls?: Record<string, string>;
  ulimits?: Record<string, { soft: number; hard: number }>;
  shm_size?: number;
  mem_limit?: number;
  memswap_limit?: number;
  cpus?: number;
  pids_limit?: number;
  stop_signal?: string;
  stop_grace_period?: Duration;
  profiles?: string[];
  configs?: ServiceFileRef[];
  secrets?: ServiceFileRef[];
  develop?: { watch?: WatchRule[] };
  /** Any other spec attribute, kept in its canonical form. */
  [key: string]: unknown;
}

export interface IpamConfig {
  subnet?: string;
  ip_range?: string;
  gateway?: string;
  aux_addresses?: Record<string, string>;
}

export interface Network {
  /** The real (runtime) name: `<project>_<key>` unless `name:` or external. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: IpamConfig[]; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface ConfigOrSecret {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}
