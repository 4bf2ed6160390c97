// One compose service as one Swarm ServiceSpec, `deploy:` honoured. Pure: the same project gives the same
// spec, which is what lets a redeploy compare hashes instead of diffing engine state field by field.
import { environmentList } from '../../runtime/docker/container-config.js';
import { toNanos } from '../../runtime/docker/durations.js';
import type { Duration, Healthcheck, Project, Service } from '../../model/types.js';
import { serviceMounts } from './mounts.js';
import { scoped, shortHash, stableJson, STACK_LABEL } from './names.js';
import type {
  ConfigReference,
  HealthConfig,
  ResourceSet,
  SecretReference,
  ServicePort,
  ServiceSpec,
  UpdateOrRollback,
} from './types.js';

export interface SpecContext {
  project: Project;
  stack: string;
  /** Compose key to real name, for networks, configs and secrets. */
  networkNames: Record<string, string>;
  configNames: Record<string, string>;
  secretNames: Record<string, string>;
  hostEnv: NodeJS.ProcessEnv;
}

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined;
}

/** Durations in `deploy:` sub-blocks are not normalised by the loader: a number there means seconds. */
function nanos(v: unknown): number | undefined {
  if (typeof v === 'number') return Math.round(v * 1e9);
  return typeof v === 'string' ? toNanos(v as Duration) : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function defined<T extends object>(o: T): T | undefined {
  const clean = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(clean).length ? clean : undefined;
}

function health(h: Healthcheck | undefined): HealthConfig | undefined {
  if (!h) return undefined;
  if (h.disable) return { Test: ['NONE'] };
  return defined<HealthConfig>({
    Test: h.test,
    Interval: toNanos(h.interval),
    Timeout: toNanos(h.timeout),
    Retries: h.retries,
    StartPeriod: toNanos(h.start_period),
  });
}

function resourceSet(r: unknown): ResourceSet | undefined {
  const o = obj(r);
  if (!o) return undefined;
  const cpus = num(o.cpus);
  return defined<ResourceSet>({
    NanoCPUs: cpus === undefined ? undefined : Math.round(cpus * 1e9),
    MemoryBytes: num(o.memory),
    Pids: num(o.pids),
  });
}

function updateConfig(u: unknown): UpdateOrRollback | undefined {
  const o = obj(u);
  if (!o) return undefined;
  return defined<UpdateOrRollback>({
    Parallelism: num(o.parallelism),
    Delay: nanos(o.delay),
    FailureAction: typeof o.failure_action === 'string' ? o.failure_action : undefined,
    Monitor: nanos(o.monitor),
    MaxFailureRatio: num(o.max_failure_ratio),
    Order: typeof o.order === 'string' ? o.order : undefined,
  });
}

function mode(s: Service): ServiceSpec['Mode'] {
  const d = s.deploy ?? {};
  const replicas = d.replicas ?? s.scale ?? 1;
  switch (d.mode) {
    case 'global':
      return { Global: {} };
    case 'global-job':
      return { GlobalJob: {} };
    case 'replicated-job':
      return { ReplicatedJob: { MaxConcurrent: replicas, TotalCompletions: replicas } };
    default:
      return { Replicated: { Replicas: replicas } };
  }
}

function placement(d: Raw): ServiceSpec['TaskTemplate']['Placement'] {
  const p = obj(d.placement);
  if (!p) return undefined;
  const prefs = Array.isArray(p.preferences) ? p.preferences : [];
  return defined({
    Constraints: Array.isArray(p.constraints) ? p.constraints.map(String) : undefined,
    Preferences: prefs.length
      ? prefs.flatMap((x) => {
          const spread = obj(x)?.spread;
          return typeof spread === 'string' ? [{ Spread: { SpreadDescriptor: spread } }] : [];
        })
      : undefined,
    MaxReplicas: num(p.max_replicas_per_node),
  });
}

function ports(s: Service): ServicePort[] | undefined {
  if (!s.ports.length) return undefined;
  return s.ports.map((p) => ({
    ...(p.name ? { Name: p.name } : {}),
    Protocol: p.protocol,
    TargetPort: p.target,
    ...(p.published !== undefined && num(p.published) !== undefined
      ? { PublishedPort: num(p.published) }
      : {}),
    PublishMode: p.mode,
  }));
}

/** extra_hosts come as `host=ip` or `host:ip`; Swarm wants `ip host` like /etc/hosts. */
function hosts(list: string[] | undefined): string[] | undefined {
  if (!list?.length) return undefined;
  return list.map((e) => {
    const i = e.includes('=') ? e.indexOf('=') : e.indexOf(':');
    return i < 0 ? e : `${e.slice(i + 1)} ${e.slice(0, i)}`;
  });
}

function fileRefs<R extends ConfigReference | SecretReference>(
  refs: Service['configs'],
  names: Record<string, string>,
  defaultTarget: (source: string) => string,
  make: (file: R['File'], name: string) => R,
): R[] | undefined {
  if (!refs?.length) return undefined;
  return refs.map((r) => {
    const target = r.target ?? defaultTarget(r.source);
    return make(
      { Name: target, UID: r.uid ?? '0', GID: r.gid ?? '0', Mode: r.mode ?? 0o444 },
      names[r.source] ?? r.source,
    );
  });
}

function networks(name: string, s: Service, ctx: SpecContext): ServiceSpec['TaskTemplate']['Networks'] {
  return Object.entries(s.networks).map(([key, att]) => {
    // the service name resolves on every network by itself; declared aliases come on top
    const aliases = [name, ...(att?.aliases ?? []).filter((a) => a !== name)];
    return {
      Target: ctx.networkNames[key] ?? scoped(ctx.stack, key),
      Aliases: aliases,
      ...(att?.driver_opts ? { DriverOpts: att.driver_opts } : {}),
    };
  });
}

/** The spec without its hash label; `withHash` adds it. */
export function serviceSpec(name: string, s: Service, ctx: SpecContext): ServiceSpec {
  const d: Raw = s.deploy ?? {};
  const image = s.image ?? '';
  const ns = { [STACK_LABEL.namespace]: ctx.stack };
  const logging = obj(s.logging);
  const rp = s.deploy?.restart_policy;
  const res = obj(d.resources);
  const spec: ServiceSpec = {
    Name: scoped(ctx.stack, name),
    Labels: { ...s.deploy?.labels, ...ns, [STACK_LABEL.image]: image },
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Labels: { ...s.labels, ...ns },
        ...defined({
          Command: s.entrypoint ?? undefined,
          Args: s.command ?? undefined,
          Hostname: s.hostname,
          Env: Object.keys(s.environment).length
            ? environmentList(s.environment, undefined, ctx.hostEnv).sort()
            : undefined,
          Dir: s.working_dir,
          User: s.user,
          TTY: s.tty,
          OpenStdin: s.stdin_open,
          ReadOnly: s.read_only,
          Mounts: (() => {
            const m = serviceMounts(ctx.project, s, ctx.stack);
            return m.length ? m : undefined;
          })(),
          StopSignal: s.stop_signal,
          StopGracePeriod: toNanos(s.stop_grace_period),
          HealthCheck: health(s.healthcheck),
          Hosts: hosts(s.extra_hosts),
          DNSConfig: defined({ Nameservers: s.dns, Search: s.dns_search, Options: s.dns_opt }),
          Secrets: fileRefs<SecretReference>(
            s.secrets,
            ctx.secretNames,
            (src) => `/run/secrets/${src}`,
            (File, SecretName) => ({ File, SecretName }),
          ),
          Configs: fileRefs<ConfigReference>(
            s.configs,
            ctx.configNames,
            (src) => `/${src}`,
            (File, ConfigName) => ({ File, ConfigName }),
          ),
          Init: s.init,
          Groups: Array.isArray(s.group_add) ? s.group_add.map(String) : undefined,
          Sysctls: s.sysctls && Object.keys(s.sysctls).length ? s.sysctls : undefined,
          CapabilityAdd: s.cap_add?.length ? s.cap_add : undefined,
          CapabilityDrop: s.cap_drop?.length ? s.cap_drop : undefined,
          Ulimits: s.ulimits
            ? Object.entries(s.ulimits).map(([n, u]) => ({ Name: n, Soft: u.soft, Hard: u.hard }))
            : undefined,
        }),
      },
      ...defined({
        Resources: res
          ? defined({ Limits: resourceSet(res.limits), Reservations: resourceSet(res.reservations) })
          : undefined,
        RestartPolicy: rp
          ? defined({
              Condition: rp.condition,
              Delay: toNanos(rp.delay),
              MaxAttempts: rp.max_attempts,
              Window: toNanos(rp.window),
            })
          : undefined,
        Placement: placement(d),
        Networks: networks(name, s, ctx),
        LogDriver:
          typeof logging?.driver === 'string'
            ? {
                Name: logging.driver,
                ...(obj(logging.options) ? { Options: logging.options as Record<string, string> } : {}),
              }
            : undefined,
      }),
    },
    Mode: mode(s),
    ...defined({
      UpdateConfig: updateConfig(d.update_config),
      RollbackConfig: updateConfig(d.rollback_config),
      EndpointSpec: defined({
        Mode: d.endpoint_mode === 'dnsrr' || d.endpoint_mode === 'vip' ? d.endpoint_mode : undefined,
        Ports: ports(s),
      }),
    }),
  };
  return spec;
}

/** The spec with a label holding the hash of everything else in it. */
export function withHash(spec: ServiceSpec): ServiceSpec {
  const hash = shortHash(stableJson(spec), 16);
  return { ...spec, Labels: { ...spec.Labels, [STACK_LABEL.specHash]: hash } };
}
