// Phase 10 (services): every attribute of a service to the long syntax of src/model/types.ts.
import type {
  BuildConfig,
  Deploy,
  Healthcheck,
  PortConfig,
  Service,
  ServiceDependency,
  ServiceFileRef,
  ServiceNetworkAttachment,
  ServiceVolume,
} from '../../model/types.js';
import { SchemaError } from '../../util/errors.js';
import { isMapping, type Mapping } from '../tree.js';
import { parsePortShort, PortSyntaxError } from './ports.js';
import { command, develop, hooks } from './hooks.js';
import {
  bool,
  bytes,
  duration,
  fail,
  int,
  keyValues,
  mapping,
  num,
  scalarText,
  str,
  strList,
} from './values.js';
import { cleanTarget, parseVolumeShort, VolumeSyntaxError } from './volumes.js';

type Handler = (svc: Mapping, key: string, label: string, out: Service) => void;

const DEPENDENCY_CONDITIONS = new Set([
  'service_started',
  'service_healthy',
  'service_completed_successfully',
]);

function build(svc: Mapping, label: string): BuildConfig {
  const v = svc.build;
  if (typeof v === 'string') return { context: v, dockerfile: 'Dockerfile' };
  if (!isMapping(v)) fail(`${label} must be a string or a mapping`, svc, 'build');
  const out: BuildConfig = { ...v, context: str(v, 'context', `${label}.context`) ?? '.' };
  if (v.dockerfile_inline === undefined)
    out.dockerfile = str(v, 'dockerfile', `${label}.dockerfile`) ?? 'Dockerfile';
  const args = keyValues(v, 'args', `${label}.args`, true);
  if (args) out.args = args;
  const labels = keyValues(v, 'labels', `${label}.labels`, false);
  if (labels) out.labels = labels as Record<string, string>;
  return out;
}

function dependsOn(svc: Mapping, label: string): Record<string, ServiceDependency> {
  const v = svc.depends_on;
  const out: Record<string, ServiceDependency> = {};
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x !== 'string') fail(`${label}[${i}] must be a string`, v, i);
      out[x] = { condition: 'service_started', required: true, restart: false };
    });
    return out;
  }
  if (!isMapping(v)) fail(`${label} must be a list or a mapping`, svc, 'depends_on');
  for (const [name, d] of Object.entries(v)) {
    const dl = `${label}.${name}`;
    const dep = d === null ? {} : d;
    if (!isMapping(dep)) fail(`${dl} must be a mapping`, v, name);
    const condition = str(dep, 'condition', `${dl}.condition`) ?? 'service_started';
    if (!DEPENDENCY_CONDITIONS.has(condition)) {
      fail(
        `${dl}.condition must be one of service_started, service_healthy, service_completed_successfully`,
        dep,
        'condition',
      );
    }
    out[name] = {
      condition: condition as ServiceDependency['condition'],
      required: bool(dep, 'required', `${dl}.required`) ?? true,
      restart: bool(dep, 'restart', `${dl}.restart`) ?? false,
    };
  }
  return out;
}

function ports(svc: Mapping, label: string): PortConfig[] {
  const v = svc.ports;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${label} must be a list`, svc, 'ports');
  const out: PortConfig[] = [];
  v.forEach((p, i) => {
    const pl = `${label}[${i}]`;
    if (typeof p === 'string' || typeof p === 'number') {
      try {
        out.push(...parsePortShort(p));
      } catch (e) {
        if (e instanceof PortSyntaxError) fail(`${pl}: ${e.message}`, v, i);
        throw e;
      }
      return;
    }
    if (!isMapping(p)) fail(`${pl} must be a string, a number or a mapping`, v, i);
    const target = int(p, 'target', `${pl}.target`);
    if (target === undefined) fail(`${pl}.target is required`, v, i);
    const protocol = (str(p, 'protocol', `${pl}.protocol`) ?? 'tcp').toLowerCase();
    if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp')
      fail(`${pl}.protocol must be tcp, udp or sctp`, p, 'protocol');
    const mode = str(p, 'mode', `${pl}.mode`) ?? 'ingress';
    if (mode !== 'ingress' && mode !== 'host') fail(`${pl}.mode must be ingress or host`, p, 'mode');
    const port: PortConfig = { target, protocol, mode };
    const published = str(p, 'published', `${pl}.published`);
    if (published !== undefined) port.published = published;
    const hostIp = str(p, 'host_ip', `${pl}.host_ip`);
    if (hostIp !== undefined) port.host_ip = hostIp;
    const name = str(p, 'name', `${pl}.name`);
    if (name !== undefined) port.name = name;
    const app = str(p, 'app_protocol', `${pl}.app_protocol`);
    if (app !== undefined) port.app_protocol = app;
    out.push(port);
  });
  return out;
}

function volumes(svc: Mapping, label: string): ServiceVolume[] {
  const v = svc.volumes;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${label} must be a list`, svc, 'volumes');
  // Two mounts on one target: the later one wins, in the earlier one's place, as with compose.
  const out: ServiceVolume[] = [];
  const at = new Map<string, number>();
  for (const m of mounts(v, label)) {
    const i = at.get(m.target);
    if (i === undefined) at.set(m.target, out.push(m) - 1);
    else out[i] = m;
  }
  return out;
}

function mounts(v: unknown[], label: string): ServiceVolume[] {
  return v.map((x, i): ServiceVolume => {
    const vl = `${label}[${i}]`;
    if (typeof x === 'string') {
      try {
        return parseVolumeShort(x);
      } catch (e) {
        if (e instanceof VolumeSyntaxError) fail(`${vl}: ${e.message}`, v, i);
        throw e;
      }
    }
    if (!isMapping(x)) fail(`${vl} must be a string or a mapping`, v, i);
    const type = str(x, 'type', `${vl}.type`) ?? 'volume';
    if (!['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'].includes(type))
      fail(`${vl}.type is not a known volume type`, x, 'type');
    const target = str(x, 'target', `${vl}.target`);
    if (target === undefined) fail(`${vl}.target is required`, v, i);
    const out: ServiceVolume = { ...x, type: type as ServiceVolume['type'], target: cleanTarget(target) };
    const source = str(x, 'source', `${vl}.source`);
    if (source !== undefined && source !== '') out.source = source;
    else delete out.source;
    const ro = bool(x, 'read_only', `${vl}.read_only`);
    if (ro !== undefined) out.read_only = ro;
    const tmpfs = mapping(x, 'tmpfs', `${vl}.tmpfs`);
    if (tmpfs) {
      const t: { size?: number; mode?: number } = {};
      const size = bytes(tmpfs, 'size', `${vl}.tmpfs.size`);
      if (size !== undefined) t.size = size;
      const mode = int(tmpfs, 'mode', `${vl}.tmpfs.mode`);
      if (mode !== undefined) t.mode = mode;
      out.tmpfs = t;
    }
    return out;
  });
}

function networks(svc: Mapping, label: string): Record<string, ServiceNetworkAttachment | null> {
  const v = svc.networks;
  const out: Record<string, ServiceNetworkAttachment | null> = {};
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) {
    v.forEach((n, i) => {
      if (typeof n !== 'string') fail(`${label}[${i}] must be a string`, v, i);
      out[n] = null;
    });
    return out;
  }
  if (!isMapping(v)) fail(`${label} must be a list or a mapping`, svc, 'networks');
  for (const [name, a] of Object.entries(v)) {
    if (a === null) out[name] = null;
    else if (!isMapping(a)) fail(`${label}.${name} must be a mapping or null`, v, name);
    else {
      const att: ServiceNetworkAttachment = { ...(a as ServiceNetworkAttachment) };
      const aliases = strList(a, 'aliases', `${label}.${name}.aliases`);
      if (aliases) att.aliases = aliases;
      out[name] = att;
    }
  }
  return out;
}

function healthcheck(svc: Mapping, label: string): Healthcheck {
  const h = mapping(svc, 'healthcheck', label) as Mapping;
  const out: Healthcheck = { ...(h as Healthcheck) };
  const t = h.test;
  if (typeof t === 'string') out.test = t === '' ? ['NONE'] : ['CMD-SHELL', t];
  else if (t !== undefined && t !== null) {
    const list = strList(h, 'test', `${label}.test`, false) as string[];
    if (list.length > 0 && !['NONE', 'CMD', 'CMD-SHELL'].includes(list[0] as string)) {
      fail(`${label}.test must start either by "CMD", "CMD-SHELL" or "NONE"`, h, 'test');
    }
    out.test = list;
  }
  for (const k of ['interval', 'timeout', 'start_period', 'start_interval'] as const) {
    const d = duration(h, k, `${label}.${k}`);
    if (d !== undefined) out[k] = d;
  }
  // Compose's own rule: start_interval only has a meaning inside a start period.
  if (out.start_interval !== undefined && out.start_period === undefined) {
    fail('healthcheck.start_interval requires healthcheck.start_period to be set', h, 'start_interval');
  }
  const retries = int(h, 'retries', `${label}.retries`);
  if (retries !== undefined) out.retries = retries;
  const disable = bool(h, 'disable', `${label}.disable`);
  if (disable !== undefined) out.disable = disable;
  return out;
}

function deploy(svc: Mapping, label: string): Deploy | undefined {
  // `deploy: null` is valid compose and means no deploy section.
  const d = mapping(svc, 'deploy', label);
  if (!d) return undefined;
  const out: Deploy = { ...d };
  const replicas = int(d, 'replicas', `${label}.replicas`);
  if (replicas !== undefined) out.replicas = replicas;
  const labels = keyValues(d, 'labels', `${label}.labels`, false);
  if (labels) out.labels = labels as Record<string, string>;
  const rp = mapping(d, 'restart_policy', `${label}.restart_policy`);
  if (rp) {
    const r: Mapping = { ...rp };
    for (const k of ['delay', 'window']) {
      const x = duration(rp, k, `${label}.restart_policy.${k}`);
      if (x !== undefined) r[k] = x;
    }
    const ma = int(rp, 'max_attempts', `${label}.restart_policy.max_attempts`);
    if (ma !== undefined) r.max_attempts = ma;
    out.restart_policy = r;
  }
  const res = mapping(d, 'resources', `${label}.resources`);
  if (res) {
    const r: Mapping = { ...res };
    for (const part of ['limits', 'reservations']) {
      const p = mapping(res, part, `${label}.resources.${part}`);
      if (!p) continue;
      const q: Mapping = { ...p };
      const mem = bytes(p, 'memory', `${label}.resources.${part}.memory`);
      if (mem !== undefined) q.memory = mem;
      const cpus = p.cpus;
      if (cpus !== undefined && cpus !== null)
        q.cpus = scalarText(cpus) ?? fail(`${label}.resources.${part}.cpus must be a number`, p, 'cpus');
      const pids = int(p, 'pids', `${label}.resources.${part}.pids`);
      if (pids !== undefined) q.pids = pids;
      r[part] = q;
    }
    out.resources = r;
  }
  return out;
}

function fileRefs(svc: Mapping, key: 'configs' | 'secrets', label: string): ServiceFileRef[] {
  const v = svc[key];
  if (!Array.isArray(v)) fail(`${label} must be a list`, svc, key);
  return v.map((x, i): ServiceFileRef => {
    if (typeof x === 'string') return { source: x };
    if (!isMapping(x)) fail(`${label}[${i}] must be a string or a mapping`, v, i);
    const source = str(x, 'source', `${label}[${i}].source`);
    if (source === undefined) fail(`${label}[${i}].source is required`, v, i);
    const out: ServiceFileRef = { ...x, source } as ServiceFileRef;
    const mode = x.mode;
    if (typeof mode === 'string' && /^0?[0-7]+$/.test(mode)) out.mode = parseInt(mode, 8);
    else if (mode !== undefined) out.mode = int(x, 'mode', `${label}[${i}].mode`);
    for (const k of ['uid', 'gid'] as const) {
      const s = str(x, k, `${label}[${i}].${k}`);
      if (s !== undefined) out[k] = s;
    }
    return out;
  });
}

function ulimits(svc: Mapping, label: string): Record<string, { soft: number; hard: number }> {
  const u = mapping(svc, 'ulimits', label) as Mapping;
  const out: Record<string, { soft: number; hard: number }> = {};
  for (const [name, v] of Object.entries(u)) {
    if (isMapping(v)) {
      const soft = int(v, 'soft', `${label}.${name}.soft`);
      const hard = int(v, 'hard', `${label}.${name}.hard`);
      if (soft === undefined || hard === undefined) fail(`${label}.${name} needs soft and hard`, u, name);
      out[name] = { soft, hard };
    } else {
      const n = int(u, name, `${label}.${name}`) as number;
      out[name] = { soft: n, hard: n };
    }
  }
  return out;
}

function extraHosts(svc: Mapping, label: string): string[] {
  const v = svc.extra_hosts;
  if (Array.isArray(v)) return strList(svc, 'extra_hosts', label, false) as string[];
  if (!isMapping(v)) fail(`${label} must be a list or a mapping`, svc, 'extra_hosts');
  const out: string[] = [];
  for (const [host, ip] of Object.entries(v)) {
    const ips = Array.isArray(ip) ? ip : [ip];
    for (const x of ips)
      out.push(`${host}=${scalarText(x) ?? fail(`${label}.${host} must be a string`, v, host)}`);
  }
  return out;
}

const HANDLERS: Record<string, Handler> = {
  build: (s, _k, l, o) => (o.build = build(s, l)),
  command: (s, k, l, o) => (o.command = command(s, k, l)),
  entrypoint: (s, k, l, o) => (o.entrypoint = command(s, k, l)),
  environment: (s, k, l, o) => (o.environment = keyValues(s, k, l, true) ?? {}),
  labels: (s, k, l, o) => (o.labels = (keyValues(s, k, l, false) ?? {}) as Record<string, string>),
  annotations: (s, k, l, o) => (o.annotations = keyValues(s, k, l, false) ?? {}),
  sysctls: (s, k, l, o) => (o.sysctls = (keyValues(s, k, l, false) ?? {}) as Record<string, string>),
  depends_on: (s, _k, l, o) => (o.depends_on = dependsOn(s, l)),
  ports: (s, _k, l, o) => (o.ports = ports(s, l)),
  volumes: (s, _k, l, o) => (o.volumes = volumes(s, l)),
  networks: (s, _k, l, o) => (o.networks = networks(s, l)),
  healthcheck: (s, _k, l, o) => (o.healthcheck = healthcheck(s, l)),
  deploy: (s, _k, l, o) => (o.deploy = deploy(s, l)),
  configs: (s, _k, l, o) => (o.configs = fileRefs(s, 'configs', l)),
  secrets: (s, _k, l, o) => (o.secrets = fileRefs(s, 'secrets', l)),
  ulimits: (s, _k, l, o) => (o.ulimits = ulimits(s, l)),
  extra_hosts: (s, _k, l, o) => (o.extra_hosts = extraHosts(s, l)),
  expose: (s, k, l, o) => (o.expose = strList(s, k, l)),
  tmpfs: (s, k, l, o) => (o.tmpfs = strList(s, k, l)),
  dns: (s, k, l, o) => (o.dns = strList(s, k, l)),
  dns_search: (s, k, l, o) => (o.dns_search = strList(s, k, l)),
  dns_opt: (s, k, l, o) => (o.dns_opt = strList(s, k, l, false)),
  links: (s, k, l, o) => (o.links = strList(s, k, l, false)),
  external_links: (s, k, l, o) => (o.external_links = strList(s, k, l, false)),
  volumes_from: (s, k, l, o) => (o.volumes_from = strList(s, k, l, false)),
  cap_add: (s, k, l, o) => (o.cap_add = strList(s, k, l, false)),
  cap_drop: (s, k, l, o) => (o.cap_drop = strList(s, k, l, false)),
  security_opt: (s, k, l, o) => (o.security_opt = strList(s, k, l, false)),
  profiles: (s, k, l, o) => (o.profiles = strList(s, k, l, false)),
  env_file: (s, k, l, o) => (o.env_file = s[k]),
  mem_limit: (s, k, l, o) => (o.mem_limit = bytes(s, k, l)),
  memswap_limit: (s, k, l, o) => {
    // -1 means unlimited swap; keep it as written.
    o.memswap_limit = s[k] === -1 || s[k] === '-1' ? -1 : bytes(s, k, l);
  },
  mem_reservation: (s, k, l, o) => (o.mem_reservation = bytes(s, k, l)),
  shm_size: (s, k, l, o) => (o.shm_size = bytes(s, k, l)),
  cpus: (s, k, l, o) => (o.cpus = num(s, k, l)),
  scale: (s, k, l, o) => (o.scale = int(s, k, l)),
  pids_limit: (s, k, l, o) => (o.pids_limit = int(s, k, l)),
  stop_grace_period: (s, k, l, o) => (o.stop_grace_period = duration(s, k, l)),
  init: (s, k, l, o) => (o.init = bool(s, k, l)),
  tty: (s, k, l, o) => (o.tty = bool(s, k, l)),
  stdin_open: (s, k, l, o) => (o.stdin_open = bool(s, k, l)),
  read_only: (s, k, l, o) => (o.read_only = bool(s, k, l)),
  privileged: (s, k, l, o) => (o.privileged = bool(s, k, l)),
  image: (s, k, l, o) => (o.image = str(s, k, l)),
  container_name: (s, k, l, o) => (o.container_name = str(s, k, l)),
  restart: (s, k, l, o) => (o.restart = str(s, k, l)),
  network_mode: (s, k, l, o) => (o.network_mode = str(s, k, l)),
  user: (s, k, l, o) => (o.user = str(s, k, l)),
  working_dir: (s, k, l, o) => (o.working_dir = str(s, k, l)),
  hostname: (s, k, l, o) => (o.hostname = str(s, k, l)),
  pre_start: (s, k, l, o) => (o.pre_start = hooks(s, k, l)),
  post_start: (s, k, l, o) => (o.post_start = hooks(s, k, l)),
  pre_stop: (s, k, l, o) => (o.pre_stop = hooks(s, k, l)),
  develop: (s, _k, l, o) => (o.develop = develop(s, l)),
};

/** A value still holding `${...}` (`--no-interpolate`): it cannot be read as a port, size, ... yet. */
function holdsVariable(v: unknown): boolean {
  if (typeof v === 'string') return /\$\{?[A-Za-z_]/.test(v);
  if (Array.isArray(v)) return v.some(holdsVariable);
  return isMapping(v) && Object.values(v).some(holdsVariable);
}

/**
 * `raw`: the tree was not interpolated (`config --no-interpolate`); an attribute whose variables keep
 * it from being read is kept as written, as compose prints it, instead of failing.
 */
export function normalizeService(
  name: string,
  svc: unknown,
  container: Mapping,
  opts: { raw?: boolean } = {},
): Service {
  const label = `services.${name}`;
  if (svc === null) svc = {};
  if (!isMapping(svc)) fail(`${label} must be a mapping`, container, name);
  const out: Service = { environment: {}, labels: {}, depends_on: {}, ports: [], volumes: [], networks: {} };
  for (const [key, value] of Object.entries(svc)) {
    if (value === undefined) continue;
    const h = HANDLERS[key];
    if (!h) out[key] = value;
    else if (!opts.raw) h(svc, key, `${label}.${key}`, out);
    else {
      try {
        h(svc, key, `${label}.${key}`, out);
      } catch (e) {
        if (!(e instanceof SchemaError) || !holdsVariable(value)) throw e;
        out[key] = value;
      }
    }
    if (out[key] === undefined) delete out[key];
  }
  return out;
}
