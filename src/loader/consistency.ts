// Phase 12, consistency: checks that need the whole model (references, cycles, clashes), each
// reported as a located ModelError with a "did you mean" hint where a name looks misspelt.
import { isHostRootfs } from '../model/extensions.js';
import type { Project, Service, SourceLocation } from '../model/types.js';
import { findCycle } from '../graph/cycle.js';
import { ModelError } from '../util/errors.js';
import { locate } from './positions.js';
import { suggest } from './suggest.js';
import type { Mapping } from './tree.js';

/**
 * Containers per service and per project. A dry run plans every replica, so `scale: 1e9` took
 * gigabytes; a single host runs far fewer containers than either bound.
 */
export const MAX_REPLICAS = 1000;
export const MAX_PROJECT_REPLICAS = 10_000;

type Where = (service: string, attr: string, item?: string) => SourceLocation | undefined;

/** Finds the position of a reference, whether it was written as a list item or a map key. */
function locator(tree: Mapping): Where {
  return (service, attr, item) => {
    const base = ['services', service, attr];
    if (item === undefined) return locate(tree, base);
    const services = tree.services as Record<string, Record<string, unknown> | undefined> | undefined;
    const node = services?.[service]?.[attr];
    if (Array.isArray(node)) {
      const i = node.findIndex(
        (x) =>
          (typeof x === 'string' && (x === item || x.startsWith(`${item}:`) || x.split(':')[0] === item)) ||
          (typeof x === 'object' && x !== null && (x as Record<string, unknown>).source === item),
      );
      if (i >= 0) return locate(tree, [...base, i]);
    }
    return locate(tree, [...base, item]);
  };
}

function refError(
  msg: string,
  location: SourceLocation | undefined,
  name: string,
  known: string[],
): ModelError {
  return new ModelError(msg, { location, hint: suggest(name, known) });
}

export function checkConsistency(p: Project, tree: Mapping): void {
  const where = locator(tree);
  const names = Object.keys(p.services);
  const serviceRef = (svc: string, attr: string, target: string, what: string, item = target): void => {
    if (target in p.services) return;
    if (target in p.disabled_services) {
      const profs = p.disabled_services[target]?.profiles ?? [];
      throw new ModelError(`service "${target}" is required by "${svc}" but is disabled`, {
        location: where(svc, attr, item),
        hint: profs.length ? `enable it with --profile ${profs[0]}` : undefined,
      });
    }
    throw refError(
      `service "${svc}" ${what} undefined service "${target}"`,
      where(svc, attr, item),
      target,
      names,
    );
  };

  let total = 0;
  for (const [name, svc] of Object.entries(p.services)) {
    for (const [dep, d] of Object.entries(svc.depends_on)) {
      if (!(dep in p.services) && dep in p.disabled_services && !d.required) {
        delete svc.depends_on[dep];
        continue;
      }
      const attr =
        (svc.links ?? []).some((l) => l.split(':')[0] === dep) && !hasDeclaredDep(tree, name, dep)
          ? 'links'
          : (svcNamespaceRef(svc, dep) ??
            (isVolumesFrom(svc, dep) && !hasDeclaredDep(tree, name, dep) ? 'volumes_from' : 'depends_on'));
      serviceRef(name, attr, dep, attr === 'depends_on' ? 'depends on' : 'refers to');
    }
    checkResources(p, name, svc, where);
    if (svc.image === undefined && svc.build === undefined && !isHostRootfs(svc)) {
      throw new ModelError(`service "${name}" has neither an image nor a build context specified`, {
        location: locate(tree, ['services', name]),
      });
    }
    if (svc.network_mode !== undefined && hasDeclared(tree, name, 'networks')) {
      throw new ModelError(
        `service "${name}" declares mutually exclusive \`network_mode\` and \`networks\``,
        {
          location: where(name, 'network_mode'),
        },
      );
    }
    const replicas = svc.deploy?.replicas;
    if (svc.scale !== undefined && replicas !== undefined && svc.scale !== replicas) {
      throw new ModelError(`service "${name}": can't set distinct values on 'scale' and 'deploy.replicas'`, {
        location: where(name, 'scale'),
      });
    }
    const scale = svc.scale ?? replicas ?? 1;
    const scaleAt = (): SourceLocation | undefined =>
      svc.scale !== undefined ? where(name, 'scale') : locate(tree, ['services', name, 'deploy', 'replicas']);
    if (scale > MAX_REPLICAS) {
      throw new ModelError(`service "${name}": scale ${scale} is more than ${MAX_REPLICAS} containers`, {
        location: scaleAt(),
      });
    }
    total += scale;
    if (total > MAX_PROJECT_REPLICAS) {
      throw new ModelError(`the services ask for more than ${MAX_PROJECT_REPLICAS} containers in all`, {
        location: scaleAt(),
      });
    }
    if (svc.container_name !== undefined && scale > 1) {
      throw new ModelError(
        `service "${name}" has container_name "${svc.container_name}" and scale ${scale}: a container name must be unique`,
        { location: where(name, 'container_name') },
      );
    }
  }
  checkPublishedPorts(p, where);
  const edges = new Map<string, string[]>();
  for (const [name, svc] of Object.entries(p.services)) edges.set(name, Object.keys(svc.depends_on));
  const cycle = findCycle(edges);
  if (cycle) {
    throw new ModelError(`dependency cycle: ${cycle.join(' -> ')}`, {
      location: where(cycle[0] as string, 'depends_on', cycle[1]),
    });
  }
}

function hasDeclared(tree: Mapping, service: string, attr: string): boolean {
  const s = (tree.services as Record<string, Record<string, unknown> | undefined> | undefined)?.[service];
  return s?.[attr] !== undefined && s[attr] !== null;
}

function hasDeclaredDep(tree: Mapping, service: string, dep: string): boolean {
  const d = (tree.services as Record<string, Record<string, unknown> | undefined> | undefined)?.[service]
    ?.depends_on;
  if (Array.isArray(d)) return d.includes(dep);
  return typeof d === 'object' && d !== null && dep in d;
}

function svcNamespaceRef(svc: Service, dep: string): string | undefined {
  for (const k of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
    if (svc[k] === `service:${dep}`) return k;
  }
  return undefined;
}

function isVolumesFrom(svc: Service, dep: string): boolean {
  return (svc.volumes_from ?? []).some((v) => v.split(':')[0] === dep);
}

function checkResources(p: Project, name: string, svc: Service, where: Where): void {
  for (const net of Object.keys(svc.networks)) {
    if (net === 'default' || net in p.networks) continue;
    throw refError(
      `service "${name}" refers to undefined network ${net}`,
      where(name, 'networks', net),
      net,
      Object.keys(p.networks),
    );
  }
  svc.volumes.forEach((v) => {
    if (v.type !== 'volume' || v.source === undefined || v.source in p.volumes) return;
    throw refError(
      `service "${name}" refers to undefined volume ${v.source}`,
      where(name, 'volumes', v.source),
      v.source,
      Object.keys(p.volumes),
    );
  });
  for (const kind of ['configs', 'secrets'] as const) {
    for (const ref of svc[kind] ?? []) {
      if (ref.source in p[kind]) continue;
      const one = kind === 'configs' ? 'config' : 'secret';
      throw refError(
        `service "${name}" refers to undefined ${one} ${ref.source}`,
        where(name, kind, ref.source),
        ref.source,
        Object.keys(p[kind]),
      );
    }
  }
}

function checkPublishedPorts(p: Project, where: Where): void {
  const seen = new Map<string, string>();
  for (const [name, svc] of Object.entries(p.services)) {
    const mine = new Set<string>();
    for (const port of svc.ports) {
      if (port.published === undefined || port.published.includes('-')) continue;
      const key = `${port.host_ip ?? '0.0.0.0'}:${port.published}/${port.protocol}`;
      const other = seen.get(key);
      if (other !== undefined && other !== name) {
        throw new ModelError(`services "${other}" and "${name}" both publish host port ${key}`, {
          location: where(name, 'ports', port.published),
        });
      }
      mine.add(key);
    }
    for (const k of mine) seen.set(k, name);
  }
}
