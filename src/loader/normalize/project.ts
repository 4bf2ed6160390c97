// Phase 10, normalise: the merged, validated tree to the canonical Project. Services go through
// normalizeService; resources get their real names; the implicit `default` network and the implicit
// dependencies (links, `service:` namespaces, volumes_from) are filled in.
import type { ConfigOrSecret, Network, Project, Service, Volume } from '../../model/types.js';
import { isMapping, type Mapping } from '../tree.js';
import { normalizeService } from './service.js';
import { fail, keyValues, str } from './values.js';

type Kind = 'networks' | 'volumes' | 'configs' | 'secrets';

function resources(tree: Mapping, kind: Kind, project: string): Record<string, Mapping> {
  const v = tree[kind];
  const out: Record<string, Mapping> = {};
  if (v === undefined || v === null) return out;
  if (!isMapping(v)) fail(`${kind} must be a mapping`, tree, kind);
  for (const [key, def] of Object.entries(v)) {
    const d = def === null ? {} : def;
    if (!isMapping(d)) fail(`${kind}.${key} must be a mapping or null`, v, key);
    const r: Mapping = { ...d };
    let external = d.external;
    let name = str(d, 'name', `${kind}.${key}.name`);
    if (isMapping(external)) {
      // the deprecated `external: {name: x}` form
      name = str(external, 'name', `${kind}.${key}.external.name`) ?? name;
      external = true;
    }
    if (external === 'true') external = true;
    if (external === true) r.external = true;
    else delete r.external;
    r.name = name ?? (external === true ? key : `${project}_${key}`);
    for (const k of ['labels', 'driver_opts'] as const) {
      const kv = keyValues(d, k, `${kind}.${key}.${k}`, false);
      if (kv) r[k] = kv;
    }
    out[key] = r;
  }
  return out;
}

function serviceRef(value: string | undefined): string | undefined {
  return value?.startsWith('service:') ? value.slice('service:'.length) : undefined;
}

function addImplicitDependencies(svc: Service): void {
  const add = (name: string, restart: boolean): void => {
    if (!(name in svc.depends_on))
      svc.depends_on[name] = { condition: 'service_started', required: true, restart };
  };
  for (const link of svc.links ?? []) add(link.split(':')[0] as string, true);
  for (const k of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const) {
    const v = svc[k];
    const ref = serviceRef(typeof v === 'string' ? v : undefined);
    if (ref) add(ref, true);
  }
  for (const vf of svc.volumes_from ?? []) {
    if (vf.startsWith('container:')) continue;
    add(vf.split(':')[0] as string, false);
  }
}

export function normalizeProject(
  tree: Mapping,
  name: string,
  workingDir: string,
  opts: { raw?: boolean } = {},
): Project {
  const svcTree = tree.services ?? {};
  if (!isMapping(svcTree)) fail('services must be a mapping', tree, 'services');
  const services: Record<string, Service> = {};
  for (const [key, def] of Object.entries(svcTree)) services[key] = normalizeService(key, def, svcTree, opts);
  for (const svc of Object.values(services)) {
    addImplicitDependencies(svc);
    if (
      Object.keys(svc.networks).length === 0 &&
      svc.network_mode === undefined &&
      svc.provider === undefined
    ) {
      svc.networks = { default: null };
    }
  }
  const networks = resources(tree, 'networks', name) as Record<string, Network>;
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) if (k.startsWith('x-')) extensions[k] = v;
  return {
    name,
    working_dir: workingDir,
    config_files: [],
    env_files: [],
    services,
    networks,
    volumes: resources(tree, 'volumes', name) as Record<string, Volume>,
    configs: resources(tree, 'configs', name) as Record<string, ConfigOrSecret>,
    secrets: resources(tree, 'secrets', name) as Record<string, ConfigOrSecret>,
    extensions,
    disabled_services: {},
  };
}

/** The `default` network exists only when an enabled service is attached to it. */
export function addDefaultNetwork(p: Project): void {
  const used = Object.values(p.services).some((s) => 'default' in s.networks);
  if (used && !p.networks.default) p.networks.default = { name: `${p.name}_default` };
}
