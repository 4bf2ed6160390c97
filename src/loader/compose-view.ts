// The project in the shape `docker compose config` prints it: compose's key order (compose-order.ts),
// byte sizes as strings of bytes, a secret's default target, `$` written `$$` so that the output loads
// back to the same project, and the few fields compose's JSON always carries. The model stays as the
// engine wants it; only this view follows compose's printing.
import type { Project } from '../model/types.js';
import {
  ATTACHMENT_ORDER,
  BIND_ORDER,
  BLKIO_ORDER,
  BUILD_ORDER,
  DEPENDS_ON_ORDER,
  DEPLOY_ORDER,
  DEVICE_ORDER,
  DEVICE_REQUEST_ORDER,
  FILE_OBJECT_ORDER,
  FILE_REF_ORDER,
  HEALTHCHECK_ORDER,
  HOOK_ORDER,
  IPAM_ORDER,
  IPAM_POOL_ORDER,
  LOGGING_ORDER,
  MOUNT_ORDER,
  NETWORK_ORDER,
  PLACEMENT_ORDER,
  PORT_ORDER,
  RESOURCE_ORDER,
  RESTART_POLICY_ORDER,
  ROLLOUT_ORDER,
  SERVICE_ORDER,
  TMPFS_ORDER,
  TOP_ORDER,
  VOLUME_OPTIONS_ORDER,
  VOLUME_ORDER,
  WATCH_ORDER,
} from './compose-order.js';
import { parseBytes } from './normalize/sizes.js';

export interface ViewOptions {
  format: 'yaml' | 'json';
  /** Interpolated output escapes `$` as `$$`; `--no-interpolate` prints the text as written. */
  escape: boolean;
}

type Shape = (v: unknown, o: ViewOptions) => unknown;
type Obj = Record<string, unknown>;

/** Keys whose empty value compose still prints. */
const KEEP_EMPTY = new Set(['command', 'entrypoint', 'volume']);

/**
 * Compose's JSON of the typed project carries some empty fields (null commands, `ipam: {}`, ...);
 * with --no-interpolate it prints a plain mapping, without them.
 */
function typedJson(o: ViewOptions): boolean {
  return o.format === 'json' && o.escape;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return isObj(v) && Object.keys(v).length === 0;
}

/** Any value with no field order of its own: mappings sorted, strings escaped. */
const plain: Shape = (v, o) => {
  if (typeof v === 'string') return o.escape ? v.replaceAll('$', () => '$$') : v;
  if (Array.isArray(v)) return v.map((x) => plain(x, o));
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      if (v[k] !== undefined) out[k] = plain(v[k], o);
    }
    return out;
  }
  return v;
};

/** A struct: listed keys in order, then the others sorted, then `x-` keys (YAML only, as compose). */
function struct(order: readonly string[], fields: Record<string, Shape> = {}): Shape {
  const rank = new Map(order.map((k, i) => [k, i]));
  return (v, o) => {
    if (!isObj(v)) return plain(v, o);
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    const ext = keys.filter((k) => k.startsWith('x-')).sort();
    const known = keys
      .filter((k) => !k.startsWith('x-'))
      .sort((a, b) => (rank.get(a) ?? order.length) - (rank.get(b) ?? order.length) || a.localeCompare(b));
    const out: Obj = {};
    for (const k of o.format === 'json' ? known : [...known, ...ext]) {
      const x = (fields[k] ?? plain)(v[k], o);
      // Go's omitempty: an empty string or collection is not printed.
      if (x === undefined || x === '' || (isEmpty(x) && !KEEP_EMPTY.has(k))) continue;
      out[k] = x;
    }
    return out;
  };
}

/** The same entries with the listed keys first, in order: for fields added after shaping. */
function reorder(v: Obj, order: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of order) if (k in v) out[k] = v[k];
  for (const [k, x] of Object.entries(v)) if (!(k in out)) out[k] = x;
  return out;
}

function list(item: Shape): Shape {
  return (v, o) => (Array.isArray(v) ? v.map((x) => item(x, o)) : plain(v, o));
}

/** A mapping the user names: sorted keys; a null value stays null unless `nulls` says what it is. */
function map(value: Shape, nulls = false): Shape {
  return (v, o) => {
    if (!isObj(v)) return plain(v, o);
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) out[k] = v[k] === null && !nulls ? null : value(v[k], o);
    return out;
  };
}

/** Go's map[string]string: every scalar printed as text, a null as the empty string. */
const text: Shape = (v, o) => plain(v === null ? '' : typeof v === 'object' ? v : String(v), o);
const textMap = map(text, true);

/** Compose's byte sizes are printed as a string of bytes. */
const byteText: Shape = (v, o) => {
  const n = parseBytes(v);
  return n === undefined ? plain(v, o) : String(n);
};

const number: Shape = (v, o) => {
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return plain(v, o);
};

const boolean: Shape = (v, o) => {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return plain(v, o);
};

/** `host:ip` or `host=ip` entries (one per address), printed `host=ip` and sorted as compose does. */
const hosts: Shape = (v, o) => {
  if (!Array.isArray(v)) return plain(v, o);
  const entries = v.map((e) => {
    const s = String(e);
    const eq = s.indexOf('=');
    const at = eq >= 0 ? eq : s.indexOf(':');
    return at < 0 ? s : `${s.slice(0, at)}=${s.slice(at + 1)}`;
  });
  return plain(entries.sort(), o);
};

const ulimits: Shape = map((v, o) => {
  if (isObj(v) && v.soft !== undefined && v.soft === v.hard) return v.soft;
  return struct(['soft', 'hard'])(v, o);
});

const hook = struct(HOOK_ORDER, { environment: map(text) });

/** `/dev/a[:/dev/b[:perm]]` to compose's long form. */
const device: Shape = (v, o) => {
  if (typeof v !== 'string') return struct(DEVICE_ORDER)(v, o);
  const [source, target, permissions] = v.split(':');
  return struct(DEVICE_ORDER)({ source, target: target ?? source, permissions: permissions ?? 'rwm' }, o);
};

/** `gpus: all` is compose's `[{count: -1}]`. */
const gpus: Shape = (v, o) => {
  if (v === 'all') return [{ count: -1 }];
  return list(struct(DEVICE_REQUEST_ORDER, { count: deviceCount }))(v, o);
};

function deviceCount(v: unknown, o: ViewOptions): unknown {
  return v === 'all' ? -1 : number(v, o);
}

const resources = struct(RESOURCE_ORDER, {
  cpus: number,
  memory: byteText,
  devices: list(struct(DEVICE_REQUEST_ORDER, { count: deviceCount, options: textMap })),
});

const rollout = struct(ROLLOUT_ORDER);

const deploy: Shape = (v, o) => {
  const out = struct(DEPLOY_ORDER, {
    labels: textMap,
    update_config: rollout,
    rollback_config: rollout,
    resources: struct(['limits', 'reservations'], { limits: resources, reservations: resources }),
    restart_policy: struct(RESTART_POLICY_ORDER),
    placement: struct(PLACEMENT_ORDER),
  })(v, o);
  // Compose's JSON writes the placement struct even when it is empty.
  if (typedJson(o) && isObj(out) && out.placement === undefined) {
    return reorder({ ...out, placement: {} }, DEPLOY_ORDER);
  }
  return out;
};

/** Compose's JSON names a blkio entry's fields as its Go type does (`Path`, `Rate`, `Weight`). */
function blkioEntry(fields: Record<string, Shape>): Shape {
  const shaped = struct(['path', 'rate', 'weight'], fields);
  return list((v, o) => {
    const out = shaped(v, o);
    if (o.format !== 'json' || !isObj(out)) return out;
    return Object.fromEntries(
      Object.entries(out).map(([k, x]) => [k.charAt(0).toUpperCase() + k.slice(1), x]),
    );
  });
}

const blkioRate = blkioEntry({ rate: byteText });

const mount = struct(MOUNT_ORDER, {
  bind: struct(BIND_ORDER),
  volume: struct(VOLUME_OPTIONS_ORDER, { labels: textMap }),
  tmpfs: struct(TMPFS_ORDER, { size: byteText }),
});

function fileRefs(defaultDir?: string): Shape {
  const ref = struct(FILE_REF_ORDER);
  return list((v, o) => {
    if (typeof v === 'string') v = { source: v };
    if (defaultDir !== undefined && isObj(v) && v.target === undefined && typeof v.source === 'string') {
      return ref({ ...v, target: `${defaultDir}/${v.source}` }, o);
    }
    return ref(v, o);
  });
}

const watchRule: Shape = (v, o) => {
  const out = struct(WATCH_ORDER, { exec: hook })(v, o);
  // Compose's JSON writes a rule's exec even when it has none.
  if (typedJson(o) && isObj(out) && out.exec === undefined) {
    return reorder({ ...out, exec: { command: null } }, WATCH_ORDER);
  }
  return out;
};

const SERVICE_FIELDS: Record<string, Shape> = {
  annotations: textMap,
  build: struct(BUILD_ORDER, {
    args: map(text),
    labels: textMap,
    additional_contexts: textMap,
    extra_hosts: hosts,
    pull: boolean,
    no_cache: boolean,
    shm_size: byteText,
    secrets: fileRefs(),
    ulimits,
  }),
  blkio_config: struct(BLKIO_ORDER, {
    weight_device: blkioEntry({}),
    device_read_bps: blkioRate,
    device_read_iops: blkioRate,
    device_write_bps: blkioRate,
    device_write_iops: blkioRate,
  }),
  configs: fileRefs(),
  cpus: number,
  cpu_quota: number,
  cpu_period: number,
  cpu_rt_period: number,
  cpu_rt_runtime: number,
  depends_on: map((v, o) => {
    const dep = isObj(v) && v.restart === false ? { ...v, restart: undefined } : v;
    return struct(DEPENDS_ON_ORDER)(dep, o);
  }),
  deploy,
  develop: struct(['watch'], { watch: list(watchRule) }),
  devices: list(device),
  environment: map(text),
  extra_hosts: hosts,
  gpus,
  group_add: list(text),
  healthcheck: struct(HEALTHCHECK_ORDER),
  labels: textMap,
  logging: struct(LOGGING_ORDER, { options: textMap }),
  mem_limit: byteText,
  mem_reservation: byteText,
  memswap_limit: (v, o) => (v === -1 || v === '-1' ? '-1' : byteText(v, o)),
  mem_swappiness: byteText,
  networks: map(struct(ATTACHMENT_ORDER, { driver_opts: textMap })),
  ports: list(struct(PORT_ORDER)),
  pre_start: list(hook),
  post_start: list(hook),
  pre_stop: list(hook),
  secrets: fileRefs('/run/secrets'),
  shm_size: byteText,
  storage_opt: textMap,
  sysctls: textMap,
  ulimits,
  volumes: list(mount),
};

const service: Shape = (v, o) => {
  const out = struct(SERVICE_ORDER, SERVICE_FIELDS)(v, o);
  // Compose's JSON always has these two, null when unset.
  if (typedJson(o) && isObj(out)) {
    return reorder({ command: null, entrypoint: null, ...out }, SERVICE_ORDER);
  }
  return out;
};

const network: Shape = (v, o) => {
  const out = struct(NETWORK_ORDER, {
    driver_opts: textMap,
    labels: textMap,
    ipam: struct(IPAM_ORDER, {
      config: list(struct(IPAM_POOL_ORDER, { aux_addresses: textMap })),
      options: textMap,
    }),
  })(v, o);
  if (typedJson(o) && isObj(out) && out.ipam === undefined) {
    return reorder({ ...out, ipam: {} }, NETWORK_ORDER);
  }
  return out;
};

const SECTIONS: Record<string, Shape> = {
  services: map(service),
  networks: map(network),
  volumes: map(struct(VOLUME_ORDER, { driver_opts: textMap, labels: textMap })),
  secrets: map(struct(FILE_OBJECT_ORDER, { driver_opts: textMap, labels: textMap })),
  configs: map(struct(FILE_OBJECT_ORDER, { labels: textMap })),
};

export function composeView(p: Project, o: ViewOptions): Obj {
  const top: Obj = { name: p.name };
  for (const k of ['services', 'networks', 'volumes', 'secrets', 'configs'] as const) {
    if (Object.keys(p[k]).length > 0) top[k] = p[k];
  }
  for (const [k, v] of Object.entries(p.extensions)) top[k] = v;
  const out: Obj = {};
  // Compose's JSON writes the project's keys sorted; its YAML in the project type's field order.
  const order = o.format === 'json' ? Object.keys(top).sort() : sortTop(Object.keys(top));
  for (const k of order) out[k] = (SECTIONS[k] ?? plain)(top[k], o);
  return out;
}

function sortTop(keys: string[]): string[] {
  const rank = (k: string): number => {
    const i = TOP_ORDER.indexOf(k);
    return i >= 0 ? i : TOP_ORDER.length;
  };
  return keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
