// What damaged or unfinished state looks like to the runtime's callers, and which of a project's
// containers and networks cannot be used as they are. The runtime removes what this finds (repair);
// the next `up` makes it anew, so a project converges after a crash or a damaged file.
import type { Project } from '../../model/types.js';
import { LABEL, type ContainerState } from '../types.js';
import type { BrokenContainer, ContainerMeta } from './containers/meta.js';
import { metaPath } from './containers/paths.js';
import type { NetworkBackend } from './net/types.js';

/** `ps -a` shows a broken container as dead, with what its identity says. */
export function brokenState(b: BrokenContainer): ContainerState {
  return {
    id: b.id,
    name: b.identity?.name ?? b.id.slice(0, 12),
    labels: b.identity?.labels ?? {},
    image: b.identity?.image ?? '',
    command: '',
    status: 'dead',
    restartCount: 0,
    createdAt: b.identity?.createdAt ?? 0,
    networks: [],
    ports: [],
  };
}

const told = new Set<string>();

/** Said once per process for each broken container a listing finds. */
export function reportBroken(b: BrokenContainer): void {
  if (told.has(b.id)) return;
  told.add(b.id);
  const name = b.identity?.name ?? b.id.slice(0, 12);
  const what =
    b.why === 'record damaged'
      ? `its record ${metaPath(b.id)} was damaged (moved aside to ${b.movedTo ?? '?'})`
      : 'the command creating it ended before it was complete';
  process.stderr.write(`WARN container ${name}: ${what}; the next up or down removes it\n`);
}

export interface Damage {
  containers: { meta: ContainerMeta; why: string }[];
  /** The project's networks whose record is gone while their bridge is still there. */
  networks: string[];
}

export async function findDamaged(
  project: Project,
  metas: readonly ContainerMeta[],
  net: NetworkBackend,
): Promise<Damage> {
  const damage: Damage = { containers: [], networks: [] };
  if (!net.recordState) return damage;
  const own = Object.values(project.networks)
    .filter((n) => n.external !== true)
    .map((n) => n.name);
  const lost = new Set<string>();
  for (const name of own) if ((await net.recordState('network', name)) === 'lost') lost.add(name);
  for (const meta of metas) {
    if (meta.labels[LABEL.project] !== project.name) continue;
    const gone = meta.networks.map((n) => n.network).filter((n) => lost.has(n));
    if (gone.length > 0) {
      const files = gone.map((n) => net.recordPath?.('network', n) ?? n);
      damage.containers.push({ meta, why: `the record of its network (${files.join(', ')}) was lost` });
    } else if (meta.sandbox && (await net.recordState('sandbox', meta.id)) === 'lost') {
      const file = net.recordPath?.('sandbox', meta.id) ?? 'its sandbox record';
      damage.containers.push({ meta, why: `the record of its network sandbox (${file}) was lost` });
    }
  }
  damage.networks = [...lost];
  return damage;
}
