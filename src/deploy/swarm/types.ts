// The Swarm objects cmp sends, in the Engine API's own field names (ServiceSpec, NetworkCreate,
// ConfigSpec/SecretSpec). Only the fields cmp fills are typed; the engine accepts the rest as absent.
import type { SourceLocation } from '../../model/types.js';

export type Labels = Record<string, string>;

export interface SwarmMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Labels;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
    Subpath?: string;
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface FileTarget {
  Name: string;
  UID: string;
  GID: string;
  Mode: number;
}

export interface SecretReference {
  File: FileTarget;
  SecretID?: string;
  SecretName: string;
}

export interface ConfigReference {
  File: FileTarget;
  ConfigID?: string;
  ConfigName: string;
}

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

export interface ContainerSpec {
  Image: string;
  Labels?: Labels;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  TTY?: boolean;
  OpenStdin?: boolean;
  ReadOnly?: boolean;
  Mounts?: SwarmMount[];
  StopSignal?: string;
  StopGracePeriod?: number;
  HealthCheck?: HealthConfig;
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  Secrets?: SecretReference[];
  Configs?: ConfigReference[];
  Init?: boolean;
  Groups?: string[];
  Sysctls?: Record<string, string>;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
}

export interface ResourceSet {
  NanoCPUs?: number;
  MemoryBytes?: number;
  Pids?: number;
}

export interface ServicePort {
  Name?: string;
  Protocol: 'tcp' | 'udp' | 'sctp';
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: 'ingress' | 'host';
}

export interface UpdateOrRollback {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

export interface ServiceSpec {
  Name: string;
  Labels: Labels;
  TaskTemplate: {
    ContainerSpec: ContainerSpec;
    Resources?: { Limits?: ResourceSet; Reservations?: ResourceSet };
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
    Placement?: {
      Constraints?: string[];
      Preferences?: { Spread: { SpreadDescriptor: string } }[];
      MaxReplicas?: number;
    };
    Networks?: { Target: string; Aliases?: string[]; DriverOpts?: Record<string, string> }[];
    LogDriver?: { Name: string; Options?: Record<string, string> };
  };
  Mode:
    | { Replicated: { Replicas: number } }
    | { Global: Record<string, never> }
    | { ReplicatedJob: { MaxConcurrent?: number; TotalCompletions?: number } }
    | { GlobalJob: Record<string, never> };
  UpdateConfig?: UpdateOrRollback;
  RollbackConfig?: UpdateOrRollback;
  EndpointSpec?: { Mode?: 'vip' | 'dnsrr'; Ports?: ServicePort[] };
}

export interface NetworkSpec {
  Name: string;
  Driver: string;
  Attachable: boolean;
  Internal: boolean;
  Labels: Labels;
  Options?: Record<string, string>;
  EnableIPv6?: boolean;
  IPAM?: {
    Driver?: string;
    Config?: { Subnet?: string; IPRange?: string; Gateway?: string; AuxiliaryAddresses?: Labels }[];
    Options?: Record<string, string>;
  };
}

/** A config or secret with its content; `Data` is base64 as the engine wants it. */
export interface FileObjectSpec {
  kind: 'config' | 'secret';
  /** The compose key (`configs.<key>`). */
  key: string;
  Name: string;
  Labels: Labels;
  Data: string;
}

/** Everything one deploy sends: the pure result of turning a project into a stack. */
export interface StackPlan {
  stack: string;
  networks: NetworkSpec[];
  /** Networks the stack uses but does not own (external: true): they must exist already. */
  externalNetworks: string[];
  objects: FileObjectSpec[];
  /** External configs/secrets, by kind and real name. */
  externalObjects: { kind: 'config' | 'secret'; name: string }[];
  services: ServiceSpec[];
}

/** Something in the file Swarm cannot do as written; errors stop the deploy before anything is sent. */
export interface DeployIssue {
  severity: 'warning' | 'error';
  service?: string;
  /** Path in the compose file, e.g. ["services", "web", "build"]. */
  path: (string | number)[];
  message: string;
  hint?: string;
  location?: SourceLocation;
}
