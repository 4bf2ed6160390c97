// Builds canonical (long-syntax) Project objects for tests without going through the loader.
import type {
  DependencyCondition,
  Network,
  Project,
  Service,
  ServiceDependency,
  Volume,
} from '../../src/model/types.js';

export type ServiceSpec = Partial<Service> & {
  /** Shorthand: `{ db: 'service_healthy' }` or a full ServiceDependency. */
  deps?: Record<string, DependencyCondition | Partial<ServiceDependency>>;
};

export function dep(
  condition: DependencyCondition,
  extra: Partial<ServiceDependency> = {},
): ServiceDependency {
  return { condition, required: true, restart: false, ...extra };
}

export function service(spec: ServiceSpec = {}): Service {
  const { deps, ...rest } = spec;
  const depends_on: Record<string, ServiceDependency> = { ...(rest.depends_on ?? {}) };
  for (const [name, d] of Object.entries(deps ?? {})) {
    depends_on[name] = typeof d === 'string' ? dep(d) : dep(d.condition ?? 'service_started', d);
  }
  return {
    image: 'busybox:latest',
    environment: {},
    labels: {},
    ports: [],
    volumes: [],
    networks: rest.network_mode ? {} : { default: null },
    ...rest,
    depends_on,
  };
}

export interface ProjectSpec {
  name?: string;
  services: Record<string, ServiceSpec>;
  networks?: Record<string, Partial<Network>>;
  volumes?: Record<string, Partial<Volume>>;
  disabled?: Record<string, ServiceSpec>;
}

export function project(spec: ProjectSpec): Project {
  const name = spec.name ?? 'demo';
  const services = Object.fromEntries(Object.entries(spec.services).map(([k, s]) => [k, service(s)]));
  const networks: Record<string, Network> = {};
  const usesDefault = Object.values(services).some((s) => s.networks && 'default' in s.networks);
  if (usesDefault) networks.default = { name: `${name}_default` };
  for (const [k, n] of Object.entries(spec.networks ?? {})) {
    networks[k] = { ...n, name: n.name ?? (n.external ? k : `${name}_${k}`) };
  }
  const volumes: Record<string, Volume> = {};
  for (const [k, v] of Object.entries(spec.volumes ?? {})) {
    volumes[k] = { ...v, name: v.name ?? (v.external ? k : `${name}_${k}`) };
  }
  return {
    name,
    working_dir: `/work/${name}`,
    config_files: [`/work/${name}/compose.yaml`],
    env_files: [],
    services,
    networks,
    volumes,
    configs: {},
    secrets: {},
    extensions: {},
    disabled_services: Object.fromEntries(
      Object.entries(spec.disabled ?? {}).map(([k, s]) => [k, service(s)]),
    ),
  };
}
