// A container's record on disk, written atomically, so any cmp process (CLI, supervisor, a restarted
// supervisor) sees the same containers without sharing memory.
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PortConfig, Service } from '../../../model/types.js';
import type { ContainerNetworkState, HealthStatus, ImageConfig, PublishedPort } from '../../types.js';
import type { OciMount, OciSpec } from './oci-types.js';
import type { RestartCounters } from '../../../supervise/restart-decider.js';
import { containersDir, metaPath } from './paths.js';
import { readSmall, replaceSmall } from '../../../util/small-files.js';
import { withLock } from '../../../util/lock.js';

export interface ContainerMeta {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Image reference as asked for. */
  image: string;
  imageId: string;
  /** Lower layer dirs, lowest first; empty in host-rootfs mode. */
  layers: string[];
  hostRootfs: boolean;
  spec: OciSpec;
  /** Mounts a `volumes_from` container copies. */
  volumeMounts: OciMount[];
  anonymousVolumes: string[];
  /** Whether the network layer made a sandbox for this container (so remove must destroy it). */
  sandbox: boolean;
  networks: ContainerNetworkState[];
  /** The service's `ports`, published while the container runs. */
  publish: PortConfig[];
  ports: PublishedPort[];
  stopSignal?: string;
  tty: boolean;
  stdinOpen: boolean;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  restartCount: number;
  /** The service as it was when the container was made: the supervisor reads its restart policy and healthcheck. */
  service?: Service;
  imageConfig?: ImageConfig;
  /** Written by the supervisor, which runs the healthchecks. */
  health?: HealthStatus;
  /** Set by stop and kill, cleared by start: a container the user stopped is never restarted by its policy. */
  stoppedByUser?: boolean;
  /** The supervisor has scheduled a restart (its back-off runs): `ps` shows the container as restarting. */
  restartPending?: boolean;
  /** The restart decider's counters, kept on disk so a new supervisor does not start counting again. */
  restartCounters?: RestartCounters;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await replaceJson(path, value);
}

function replaceJson(path: string, value: unknown): Promise<void> {
  return replaceSmall(path, JSON.stringify(value, null, 1));
}

export async function readMeta(id: string): Promise<ContainerMeta | undefined> {
  try {
    const text = readSmall(metaPath(id));
    return text === undefined ? undefined : (JSON.parse(text) as ContainerMeta);
  } catch {
    return undefined;
  }
}

export async function writeMeta(meta: ContainerMeta): Promise<void> {
  await writeJsonAtomic(metaPath(meta.id), meta);
}

/**
 * Read, change and write one record under the container's lock: the CLI (starts, stops, renames) and
 * the supervisor (health, restart counters) both update records, and an unlocked read-change-write
 * let one of two concurrent updates overwrite the other (a lost `stoppedByUser` brought a stopped
 * container back).
 */
export function updateMeta(
  id: string,
  change: (m: ContainerMeta) => void,
): Promise<ContainerMeta | undefined> {
  return withLock(`${metaPath(id)}.lock`, () => updateUnlocked(id, change));
}

async function updateUnlocked(
  id: string,
  change: (m: ContainerMeta) => void,
): Promise<ContainerMeta | undefined> {
  const m = await readMeta(id);
  if (!m) return undefined;
  change(m);
  // Never into a directory made anew: a container removed between the read and this write (the supervisor
  // noting an exit while `down` removes it) must stay removed, not come back as a record without its
  // sandbox that the next `up` would try to start. The removal retries a directory a write lands in.
  try {
    await replaceJson(metaPath(id), m);
  } catch (e) {
    // The directory went away, and the temporary file with it.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return m;
}

export async function listMeta(): Promise<ContainerMeta[]> {
  let ids: string[];
  try {
    ids = readdirSync(containersDir());
  } catch {
    ids = [];
  }
  const out: ContainerMeta[] = [];
  for (const id of ids) {
    const m = await readMeta(id);
    if (m) out.push(m);
  }
  return out;
}
