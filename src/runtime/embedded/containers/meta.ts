// A container's record on disk, written atomically, so any cmp process (CLI, supervisor, a restarted
// supervisor) sees the same containers without sharing memory. Beside it, the identity: written first
// at create and never changed, it is how a container whose record was never finished (the creating
// command died) or was damaged is still found, shown and removed (repair.ts).
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PortConfig, Service } from '../../../model/types.js';
import type { ContainerNetworkState, HealthStatus, ImageConfig, PublishedPort } from '../../types.js';
import type { OciMount, OciSpec } from './oci-types.js';
import type { RestartCounters } from '../../../supervise/restart-decider.js';
import { containersDir, createLockPath, identityPath, metaPath } from './paths.js';
import { quarantine, readJsonState, replaceSmall } from '../../../util/small-files.js';
import { lockHolder, withLock } from '../../../util/lock.js';

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
  /** The last signals and stops asked for (newest last, a few kept): `cmp events` shows them as docker does. */
  actions?: ContainerAction[];
}

export interface ContainerAction {
  /** Counts up per container, so a reader can tell which actions it has not seen yet. */
  seq: number;
  action: 'kill' | 'stop';
  signal?: string;
  at: number;
}

const ACTIONS_KEPT = 16;

/** Appends to a record's action journal (inside an updateMeta change). */
export function noteAction(m: ContainerMeta, action: ContainerAction['action'], signal?: string): void {
  const last = m.actions?.at(-1)?.seq ?? 0;
  const entry: ContainerAction = { seq: last + 1, action, at: Date.now(), ...(signal ? { signal } : {}) };
  m.actions = [...(m.actions ?? []), entry].slice(-ACTIONS_KEPT);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await replaceJson(path, value);
}

function replaceJson(path: string, value: unknown): Promise<void> {
  return replaceSmall(path, JSON.stringify(value, null, 1));
}

/** What a container is, fixed when it is made: enough to show it and to find what was made for it. */
export interface ContainerIdentity {
  id: string;
  name: string;
  labels: Record<string, string>;
  image: string;
  createdAt: number;
}

/**
 * The record, or undefined when there is none. A damaged one (empty, truncated, not JSON) is moved aside
 * with a warning naming it: the container then reads as broken (listBroken) until a command repairs it.
 */
export async function readMeta(id: string): Promise<ContainerMeta | undefined> {
  const path = metaPath(id);
  try {
    const m = readJsonState<Partial<ContainerMeta>>(path);
    if (m === undefined) return undefined;
    if (typeof m.id === 'string' && typeof m.name === 'string' && m.labels) return m as ContainerMeta;
    quarantine(path, 'not a container record');
  } catch {
    // unreadable (EACCES, EIO): not this container's record as far as anyone can tell
  }
  return undefined;
}

export function readIdentity(id: string): ContainerIdentity | undefined {
  const path = identityPath(id);
  try {
    const i = readJsonState<Partial<ContainerIdentity>>(path);
    if (i === undefined) return undefined;
    if (typeof i.name === 'string' && i.labels && typeof i.labels === 'object') {
      const image = typeof i.image === 'string' ? i.image : '';
      const createdAt = typeof i.createdAt === 'number' ? i.createdAt : 0;
      return { id, name: i.name, labels: i.labels, image, createdAt };
    }
    quarantine(path, 'not a container identity');
  } catch {
    // unreadable: the container stays broken without a project
  }
  return undefined;
}

export async function writeIdentity(identity: ContainerIdentity): Promise<void> {
  await writeJsonAtomic(identityPath(identity.id), identity);
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

function containerIds(): string[] {
  try {
    return readdirSync(containersDir());
  } catch {
    return [];
  }
}

export async function listMeta(): Promise<ContainerMeta[]> {
  return (await scanContainers()).metas;
}

/** Every record, and the ids of container folders without one (being made, or broken: listBroken). */
export async function scanContainers(): Promise<{ metas: ContainerMeta[]; unrecorded: string[] }> {
  const metas: ContainerMeta[] = [];
  const unrecorded: string[] = [];
  for (const id of containerIds()) {
    const m = await readMeta(id);
    if (m) metas.push(m);
    else if (/^[0-9a-f]{64}$/.test(id)) unrecorded.push(id);
  }
  return { metas, unrecorded };
}

/** A container folder without a usable record, whose creator is gone: found, shown, removed by repair. */
export interface BrokenContainer {
  id: string;
  /** undefined when the identity is missing or damaged too: then no project claims it. */
  identity?: ContainerIdentity;
  /** Why it is broken, for messages. */
  why: 'create interrupted' | 'record damaged';
  /** Where the damaged record was moved. */
  movedTo?: string;
}

/**
 * Containers with a folder but no usable record. One whose creator still runs (it holds the create lock)
 * is being made, not broken, and is left out. `project` limits the answer to containers whose identity
 * names that project; with `anonymous`, also to those that have no identity at all: their creator died
 * before it could write one (a parallel create killed with its process), so they belong to no project
 * and any project's repair may remove them.
 */
export async function listBroken(
  project?: string,
  unrecorded?: readonly string[],
  opts: { anonymous?: boolean } = {},
): Promise<BrokenContainer[]> {
  const out: BrokenContainer[] = [];
  for (const id of unrecorded ?? (await scanContainers()).unrecorded) {
    const identity = readIdentity(id);
    const ours = identity
      ? identity.labels['com.docker.compose.project'] === project
      : opts.anonymous === true;
    if (project !== undefined && !ours) continue;
    if (await lockHolder(createLockPath(id))) continue;
    // Its creator may have finished between the scan and the look at the lock: it writes the record first.
    if (await readMeta(id)) continue;
    // The identity is written first and the record last: a record moved aside leaves its `.corrupt-` copy.
    const damaged = containerFiles(id)
      .filter((f) => f.startsWith('meta.json.corrupt-'))
      .sort()
      .at(-1);
    out.push({
      id,
      ...(identity ? { identity } : {}),
      why: damaged ? 'record damaged' : 'create interrupted',
      ...(damaged ? { movedTo: join(dirname(metaPath(id)), damaged) } : {}),
    });
  }
  return out;
}

function containerFiles(id: string): string[] {
  try {
    return readdirSync(dirname(metaPath(id)));
  } catch {
    return [];
  }
}
