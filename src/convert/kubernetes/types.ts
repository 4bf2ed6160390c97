// The subset of the Kubernetes API objects the converter writes. Kept as our own small types so the
// converter has no runtime dependency; tests check every object against the full schema.

export interface ObjectMeta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

export interface Probe {
  exec: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  ports?: { containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: VolumeMount[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: {
    runAsUser?: number;
    runAsGroup?: number;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
  tty?: boolean;
  stdin?: boolean;
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  emptyDir?: { medium?: 'Memory'; sizeLimit?: string };
  configMap?: { name: string; items: KeyToPath[] };
  secret?: { secretName: string; items: KeyToPath[] };
}

export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  volumes?: PodVolume[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  hostname?: string;
  terminationGracePeriodSeconds?: number;
  hostAliases?: { ip: string; hostnames: string[] }[];
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  securityContext?: { sysctls?: { name: string; value: string }[] };
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export type Kind =
  'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'Service' | 'Job' | 'StatefulSet' | 'Deployment';

/** Any object the converter emits: apiVersion, kind and metadata first, the rest per kind. */
export interface K8sObject {
  apiVersion: string;
  kind: Kind;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Something the cluster will not do the way compose did; printed as a warning and in --report. */
export interface Finding {
  /** Service name, or `volumes.x` / `configs.x` / `secrets.x` / `networks`. */
  subject: string;
  attribute: string;
  /** What the converter did about it. */
  outcome: 'ignored' | 'converted' | 'note';
  reason: string;
}

export interface ConvertOptions {
  /** How services with published ports are reached from outside the cluster. */
  expose: 'clusterip' | 'nodeport' | 'loadbalancer';
  /** Reads a config/secret file; undefined when it cannot be read. */
  readFile: (path: string) => Buffer | undefined;
  /** Source of `environment:` configs and secrets. */
  env: Record<string, string | undefined>;
}

export interface ConvertResult {
  objects: K8sObject[];
  findings: Finding[];
}
