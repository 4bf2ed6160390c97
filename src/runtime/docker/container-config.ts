// A compose service (plus the engine's request) as the Engine API's container create body. Pure: the driver
// resolves references to other services' containers first and hands them in, so this is testable alone.
import type Dockerode from 'dockerode';
import type { ContainerCreateRequest, NetworkAttachRequest } from '../types.js';
import type { PortConfig, Project, Service, ServiceFileRef, ServiceVolume } from '../../model/types.js';
import { RuntimeError } from '../../util/errors.js';
import { toNanos, toSeconds } from './durations.js';
import { restartPolicy } from './restart-policy.js';
import type { ResolvedRef } from './service-refs.js';
import { exposeKeys } from '../exposed-ports.js';

/** A file the driver copies into the container after create (configs/secrets given as content). */
export interface FileCopy {
  path: string;
  content: string;
  mode: number;
  uid: number;
  gid: number;
}

export interface CreatePlan {
  body: Dockerode.ContainerCreateOptions;
  /** Networks to connect after create and before start (the engine takes one at create on older APIs). */
  laterNetworks: NetworkAttachRequest[];
  copies: FileCopy[];
}

/** The mount shapes we send; dockerode's typing requires fields the engine treats as optional. */
interface EngineMount {
  Type: 'bind' | 'volume' | 'tmpfs' | 'image';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  ImageOptions?: { Subpath?: string };
}

interface Logging {
  driver?: string;
  options?: Record<string, string>;
}

function loggingOf(service: Service): Logging | undefined {
  const l = service.logging;
  return typeof l === 'object' && l !== null ? (l as Logging) : undefined;
}

export function environmentList(
  env: Record<string, string | null>,
  extra: Record<string, string> | undefined,
  hostEnv: NodeJS.ProcessEnv,
): string[] {
  const merged = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) {
    // null: declared without a value; it takes the value from cmp's own environment, or stays unset.
    const value = v ?? hostEnv[k];
    if (value !== undefined) merged.set(k, value);
  }
  for (const [k, v] of Object.entries(extra ?? {})) merged.set(k, v);
  return [...merged].map(([k, v]) => `${k}=${v}`);
}

function portKey(port: number | string, protocol: string): string {
  return `${port}/${protocol}`;
}

export function portBindings(ports: PortConfig[]): {
  exposed: Record<string, object>;
  bindings: Record<string, Dockerode.PortBinding[]>;
} {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Dockerode.PortBinding[]> = {};
  for (const p of ports) {
    const key = portKey(p.target, p.protocol);
    exposed[key] = {};
    // An empty HostPort asks the engine for an ephemeral port; a range lets it pick a free one in the range.
    (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  return { exposed, bindings };
}

function bindSpec(v: ServiceVolume): string {
  const opts: string[] = [];
  if (v.read_only) opts.push('ro');
  if (v.bind?.selinux) opts.push(v.bind.selinux);
  if (v.bind?.propagation) opts.push(v.bind.propagation);
  return `${v.source as string}:${v.target}${opts.length ? `:${opts.join(',')}` : ''}`;
}

interface VolumeParts {
  binds: string[];
  mounts: EngineMount[];
  anonymous: Record<string, object>;
}

function volumeName(project: Project, key: string): string {
  return project.volumes[key]?.name ?? key;
}

export function volumeParts(project: Project, service: Service): VolumeParts {
  const parts: VolumeParts = { binds: [], mounts: [], anonymous: {} };
  for (const v of service.volumes) {
    switch (v.type) {
      case 'bind': {
        if (!v.source) throw new RuntimeError(`bind mount on ${v.target} has no source`);
        // Binds let the engine create a missing host directory; Mounts refuse a missing source, which is
        // what create_host_path: false asks for.
        if (v.bind?.create_host_path === true) {
          parts.binds.push(bindSpec(v));
        } else {
          const m: EngineMount = { Type: 'bind', Source: v.source, Target: v.target };
          if (v.read_only) m.ReadOnly = true;
          if (v.consistency) m.Consistency = v.consistency;
          if (v.bind?.propagation) m.BindOptions = { Propagation: v.bind.propagation };
          parts.mounts.push(m);
        }
        break;
      }
      case 'volume': {
        if (!v.source) {
          // Declared in Config.Volumes the engine removes it with the container (`rm -v`), which older
          // engines do not do for anonymous volumes made through Mounts.
          if (!v.read_only && !v.volume?.nocopy) {
            parts.anonymous[v.target] = {};
            break;
          }
        }
        const m: EngineMount = { Type: 'volume', Target: v.target };
        if (v.source) m.Source = volumeName(project, v.source);
        if (v.read_only) m.ReadOnly = true;
        if (v.volume?.nocopy || v.volume?.subpath) {
          m.VolumeOptions = {};
          if (v.volume.nocopy) m.VolumeOptions.NoCopy = true;
          if (v.volume.subpath) m.VolumeOptions.Subpath = v.volume.subpath;
        }
        parts.mounts.push(m);
        break;
      }
      case 'tmpfs': {
        const m: EngineMount = { Type: 'tmpfs', Target: v.target };
        if (v.tmpfs?.size !== undefined || v.tmpfs?.mode !== undefined) {
          m.TmpfsOptions = {};
          if (v.tmpfs.size !== undefined) m.TmpfsOptions.SizeBytes = v.tmpfs.size;
          if (v.tmpfs.mode !== undefined) m.TmpfsOptions.Mode = v.tmpfs.mode;
        }
        parts.mounts.push(m);
        break;
      }
      case 'image': {
        if (!v.source) throw new RuntimeError(`image mount on ${v.target} has no source image`);
        const m: EngineMount = { Type: 'image', Source: v.source, Target: v.target };
        if (v.image?.subpath) m.ImageOptions = { Subpath: v.image.subpath };
        parts.mounts.push(m);
        break;
      }
      default:
        throw new RuntimeError(
          `volume type "${v.type}" on ${v.target} is not supported by the docker runtime`,
        );
    }
  }
  return parts;
}

/** `/run` or `/run:size=64m,mode=1777` as the engine's Tmpfs map. */
export function tmpfsMap(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const i = e.indexOf(':');
    if (i < 0) out[e] = '';
    else out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

/** The engine wants `host:ip`; compose also writes `host=ip`. */
export function extraHosts(entries: string[]): string[] {
  return entries.map((e) => {
    const eq = e.indexOf('=');
    return eq > 0 ? `${e.slice(0, eq)}:${e.slice(eq + 1)}` : e;
  });
}

function healthConfig(service: Service): Dockerode.HealthConfig | undefined {
  const h = service.healthcheck;
  if (!h) return undefined;
  if (h.disable || h.test?.[0] === 'NONE') return { Test: ['NONE'] };
  const out: Dockerode.HealthConfig = {};
  if (h.test) out.Test = h.test;
  const interval = toNanos(h.interval);
  const timeout = toNanos(h.timeout);
  const startPeriod = toNanos(h.start_period);
  const startInterval = toNanos(h.start_interval);
  if (interval !== undefined) out.Interval = interval;
  if (timeout !== undefined) out.Timeout = timeout;
  if (startPeriod !== undefined) out.StartPeriod = startPeriod;
  if (startInterval !== undefined) out.StartInterval = startInterval;
  if (h.retries !== undefined) out.Retries = h.retries;
  return out;
}

function refOf(refs: ReadonlyMap<string, ResolvedRef>, service: string, what: string): ResolvedRef {
  const r = refs.get(service);
  if (!r) throw new RuntimeError(`${what} refers to service "${service}", which has no container`);
  return r;
}

/** `service:x` namespaces join x's container; the engine only knows `container:<id>`. */
function namespaceMode(
  mode: string | undefined,
  refs: ReadonlyMap<string, ResolvedRef>,
  what: string,
): string | undefined {
  if (mode === undefined) return undefined;
  if (mode.startsWith('service:')) return `container:${refOf(refs, mode.slice('service:'.length), what).id}`;
  return mode;
}

function volumesFrom(entries: string[], refs: ReadonlyMap<string, ResolvedRef>): string[] {
  return entries.map((e) => {
    if (e.startsWith('container:')) return e.slice('container:'.length);
    const [svc = '', mode] = e.split(':');
    const name = refOf(refs, svc, 'volumes_from').name;
    return mode ? `${name}:${mode}` : name;
  });
}

function links(entries: string[], refs: ReadonlyMap<string, ResolvedRef>): string[] {
  return entries.map((l) => {
    const [svc = '', alias] = l.split(':');
    return `${refOf(refs, svc, 'links').name}:${alias ?? svc}`;
  });
}

function cpusOf(service: Service): number | undefined {
  if (service.cpus !== undefined) return service.cpus;
  const c = service.deploy?.resources?.limits?.cpus;
  return c === undefined ? undefined : Number(c);
}

function endpoint(
  project: Project,
  service: Service,
  att: NetworkAttachRequest,
  linkList: string[] | undefined,
): Dockerode.EndpointSettings {
  const ep: Dockerode.EndpointSettings = { Aliases: att.aliases };
  if (att.ipv4Address || att.ipv6Address) {
    ep.IPAMConfig = {};
    if (att.ipv4Address) ep.IPAMConfig.IPv4Address = att.ipv4Address;
    if (att.ipv6Address) ep.IPAMConfig.IPv6Address = att.ipv6Address;
  }
  if (att.macAddress) ep.MacAddress = att.macAddress;
  const key = Object.keys(project.networks).find((k) => project.networks[k]?.name === att.network);
  const declared = key === undefined ? undefined : service.networks[key];
  if (declared?.driver_opts) ep.DriverOpts = declared.driver_opts;
  if (declared?.link_local_ips) {
    ep.IPAMConfig = { ...(ep.IPAMConfig ?? {}), LinkLocalIPs: declared.link_local_ips };
  }
  if (linkList?.length) ep.Links = linkList;
  return ep;
}

function fileRefs(
  project: Project,
  refs: ServiceFileRef[] | undefined,
  kind: 'secrets' | 'configs',
  binds: string[],
  copies: FileCopy[],
  hostEnv: NodeJS.ProcessEnv,
): void {
  for (const ref of refs ?? []) {
    const def = project[kind][ref.source];
    if (!def) throw new RuntimeError(`${kind} "${ref.source}" is not defined in the project`);
    if (def.external) {
      throw new RuntimeError(
        `external ${kind} "${ref.source}" need swarm; the docker runtime cannot mount them`,
      );
    }
    const name = ref.target ?? ref.source;
    const target =
      kind === 'secrets'
        ? name.startsWith('/')
          ? name
          : `/run/secrets/${name}`
        : name.startsWith('/')
          ? name
          : `/${name}`;
    if (def.file !== undefined) {
      binds.push(`${def.file}:${target}:ro`);
      continue;
    }
    const content =
      def.content ?? (def.environment !== undefined ? hostEnv[def.environment] : undefined) ?? '';
    copies.push({
      path: target,
      content,
      mode: ref.mode ?? 0o444,
      uid: Number(ref.uid ?? 0),
      gid: Number(ref.gid ?? 0),
    });
  }
}

export function createPlan(
  req: ContainerCreateRequest,
  refs: ReadonlyMap<string, ResolvedRef>,
  hostEnv: NodeJS.ProcessEnv = process.env,
): CreatePlan {
  const { service, project } = req;
  const vols = volumeParts(project, service);
  const { exposed, bindings } = portBindings(service.ports);
  for (const e of service.expose ?? []) for (const k of exposeKeys(e)) exposed[k] = {};
  const copies: FileCopy[] = [];
  fileRefs(project, service.secrets, 'secrets', vols.binds, copies, hostEnv);
  fileRefs(project, service.configs, 'configs', vols.binds, copies, hostEnv);

  const host: Dockerode.HostConfig = {};
  if (vols.binds.length) host.Binds = vols.binds;
  if (vols.mounts.length) host.Mounts = vols.mounts as unknown as Dockerode.MountConfig;
  if (Object.keys(bindings).length) host.PortBindings = bindings;
  if (service.volumes_from?.length) host.VolumesFrom = volumesFrom(service.volumes_from, refs);
  const ipc = namespaceMode(service.ipc, refs, 'ipc');
  if (ipc) host.IpcMode = ipc;
  const pid = namespaceMode(service.pid, refs, 'pid');
  if (pid) host.PidMode = pid;
  if (service.dns) host.Dns = service.dns;
  if (service.dns_search) host.DnsSearch = service.dns_search;
  if (service.dns_opt) host.DnsOptions = service.dns_opt;
  if (service.extra_hosts) host.ExtraHosts = extraHosts(service.extra_hosts);
  const restart = restartPolicy(service);
  if (restart) host.RestartPolicy = restart;
  if (service.init !== undefined) host.Init = service.init;
  if (service.read_only) host.ReadonlyRootfs = true;
  if (service.privileged) host.Privileged = true;
  if (service.cap_add) host.CapAdd = service.cap_add;
  if (service.cap_drop) host.CapDrop = service.cap_drop;
  if (service.security_opt) host.SecurityOpt = service.security_opt;
  if (service.sysctls) host.Sysctls = service.sysctls;
  if (service.ulimits) {
    host.Ulimits = Object.entries(service.ulimits).map(([Name, l]) => ({ Name, Soft: l.soft, Hard: l.hard }));
  }
  if (service.shm_size !== undefined) host.ShmSize = service.shm_size;
  if (service.tmpfs?.length) host.Tmpfs = tmpfsMap(service.tmpfs);
  const memory = service.mem_limit ?? service.deploy?.resources?.limits?.memory;
  if (memory !== undefined) host.Memory = memory;
  if (service.memswap_limit !== undefined) host.MemorySwap = service.memswap_limit;
  const reservation = service.deploy?.resources?.reservations?.memory;
  if (reservation !== undefined) host.MemoryReservation = reservation;
  const cpus = cpusOf(service);
  if (cpus !== undefined && Number.isFinite(cpus)) host.NanoCpus = Math.round(cpus * 1e9);
  const pids = service.pids_limit ?? service.deploy?.resources?.limits?.pids;
  if (pids !== undefined) host.PidsLimit = pids;
  const logging = loggingOf(service);
  if (logging?.driver || logging?.options) {
    host.LogConfig = {
      Type: (logging.driver ?? 'json-file') as Dockerode.LoggingDriverType,
      Config: logging.options ?? {},
    };
  }
  if (service.external_links?.length) host.Links = [...service.external_links];

  const body: Dockerode.ContainerCreateOptions = {
    name: req.name,
    Image: service.image ?? req.image.ref,
    Labels: { ...service.labels, ...req.labels },
    Env: environmentList(service.environment, req.extraEnv, hostEnv),
    HostConfig: host,
  };
  // Absent or null keeps the image's value; an empty list clears it (the engine tells nil from []).
  const entrypoint = req.entrypoint ?? service.entrypoint;
  if (entrypoint != null) body.Entrypoint = entrypoint;
  const command = req.command ?? service.command;
  if (command != null) body.Cmd = command;
  if (Object.keys(exposed).length) body.ExposedPorts = exposed;
  if (Object.keys(vols.anonymous).length) body.Volumes = vols.anonymous;
  if (service.user !== undefined) body.User = service.user;
  if (service.working_dir !== undefined) body.WorkingDir = service.working_dir;
  if (service.hostname !== undefined) body.Hostname = service.hostname;
  if (service.domainname !== undefined) body.Domainname = service.domainname;
  if (service.tty) body.Tty = true;
  if (service.stdin_open) body.OpenStdin = true;
  if (req.attached) {
    // runAttached attaches before the start; the container's stdin closes when ours does.
    Object.assign(body, {
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
  }
  if (service.stop_signal) body.StopSignal = service.stop_signal;
  const grace = toSeconds(service.stop_grace_period);
  if (grace !== undefined) body.StopTimeout = grace;
  const health = healthConfig(service);
  if (health) body.Healthcheck = health;

  let laterNetworks: NetworkAttachRequest[] = [];
  const netMode = namespaceMode(service.network_mode, refs, 'network_mode');
  if (netMode !== undefined) {
    host.NetworkMode = netMode;
  } else {
    const [first, ...rest] = req.networks;
    if (first) {
      const linkList = service.links?.length ? links(service.links, refs) : undefined;
      host.NetworkMode = first.network;
      body.NetworkingConfig = {
        EndpointsConfig: { [first.network]: endpoint(project, service, first, linkList) },
      };
      // Engines before API 1.44 read the MAC address from the container config only.
      const mac = first.macAddress ?? service.mac_address;
      if (mac) body.MacAddress = mac;
      laterNetworks = rest;
    }
  }
  return { body, laterNetworks, copies };
}

/** The endpoint body for a network connected after create. */
export function connectBody(
  req: ContainerCreateRequest,
  att: NetworkAttachRequest,
): Dockerode.EndpointSettings {
  return endpoint(req.project, req.service, att, undefined);
}
