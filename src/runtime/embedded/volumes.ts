// Named volumes are directories under <stateRoot>/volumes/<name>/_data with a small metadata file;
// this module also turns a service's `volumes`/`tmpfs` entries into mounts for the container spec.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Project, Service, ServiceVolume } from '../../model/types.js';
import { run } from '../../util/exec.js';
import { RuntimeError } from '../../util/errors.js';
import { stateRoot } from '../../util/paths.js';
import { LABEL, type VolumeCreateRequest, type VolumeState } from '../types.js';
import { writeJsonAtomic } from './containers/meta.js';
import type { OciMount } from './containers/oci-types.js';

/** Docker's label for volumes made for an unnamed `volumes:` entry. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

interface VolumeMeta {
  name: string;
  labels: Record<string, string>;
  createdAt: number;
}

const volumesDir = (): string => join(stateRoot(), 'volumes');
const volumeDir = (name: string): string => join(volumesDir(), name);
const metaFile = (name: string): string => join(volumeDir(name), 'meta.json');
export const volumeData = (name: string): string => join(volumeDir(name), '_data');

function validName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name);
}

function toState(m: VolumeMeta): VolumeState {
  return {
    name: m.name,
    labels: m.labels,
    driver: 'local',
    mountpoint: volumeData(m.name),
    createdAt: m.createdAt,
  };
}

async function readVolumeMeta(name: string): Promise<VolumeMeta | undefined> {
  try {
    return JSON.parse(await readFile(metaFile(name), 'utf8')) as VolumeMeta;
  } catch {
    return undefined;
  }
}

export async function inspectVolume(name: string): Promise<VolumeState | undefined> {
  if (!validName(name)) return undefined;
  const m = await readVolumeMeta(name);
  return m ? toState(m) : undefined;
}

/** Creates the volume unless it exists; an existing volume is returned as it is (kept across down/up). */
export async function ensureVolume(name: string, labels: Record<string, string>): Promise<VolumeState> {
  if (!validName(name)) throw new RuntimeError(`invalid volume name "${name}"`);
  const existing = await readVolumeMeta(name);
  if (existing) return toState(existing);
  await mkdir(volumeData(name), { recursive: true });
  const m: VolumeMeta = { name, labels, createdAt: Date.now() };
  await writeJsonAtomic(metaFile(name), m);
  return toState(m);
}

export async function createVolume(req: VolumeCreateRequest): Promise<VolumeState> {
  if (req.config.driver && req.config.driver !== 'local') {
    throw new RuntimeError(
      `volume ${req.name}: driver "${req.config.driver}" is not supported by the embedded runtime`,
    );
  }
  return ensureVolume(req.name, { ...(req.config.labels ?? {}), ...req.labels });
}

export async function listVolumes(project: string): Promise<VolumeState[]> {
  const names = await readdir(volumesDir()).catch(() => [] as string[]);
  const out: VolumeState[] = [];
  for (const n of names) {
    const m = await readVolumeMeta(n);
    if (m && m.labels[LABEL.project] === project) out.push(toState(m));
  }
  return out;
}

export async function removeVolume(name: string): Promise<void> {
  if (!validName(name)) throw new RuntimeError(`invalid volume name "${name}"`);
  await rm(volumeDir(name), { recursive: true, force: true });
}

async function isEmptyDir(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).length === 0;
}

/** Docker's copy-up: an empty volume first mounted over image content gets that content (owners, modes). */
async function populate(name: string, rootfs: string, target: string): Promise<void> {
  const src = join(rootfs, target);
  const st = await lstat(src).catch(() => undefined);
  if (!st?.isDirectory() || (await isEmptyDir(src))) return;
  const data = volumeData(name);
  if (!(await isEmptyDir(data))) return;
  await run('cp', ['-a', `${src}/.`, `${data}/`]);
}

export interface MountContext {
  project: Project;
  serviceName: string;
  service: Service;
  /** The container's merged rootfs, for copy-up; absent in host-rootfs mode. */
  rootfs?: string;
  /** Paths the image declares as volumes (VOLUME), made anonymous unless the service mounts them. */
  imageVolumes: string[];
  /** Mounts taken from `volumes_from` containers. */
  inherited: OciMount[];
}

export interface ResolvedMounts {
  mounts: OciMount[];
  anonymous: string[];
}

function what(ctx: MountContext): string {
  return `service "${ctx.serviceName}"`;
}

async function bindMount(ctx: MountContext, v: ServiceVolume): Promise<OciMount> {
  const source = v.source ?? '';
  if (!isAbsolute(source))
    throw new RuntimeError(`${what(ctx)}: bind source must be an absolute path: ${source}`);
  const exists = await stat(source).catch(() => undefined);
  if (!exists) {
    if (v.bind?.create_host_path !== true) {
      throw new RuntimeError(`${what(ctx)}: bind source path does not exist: ${source}`, {
        hint: 'create it, or set bind.create_host_path: true',
      });
    }
    try {
      await mkdir(source, { recursive: true });
    } catch (e) {
      throw new RuntimeError(
        `${what(ctx)}: cannot create bind source path ${source}: ${(e as Error).message}`,
      );
    }
  }
  const propagation = v.bind?.propagation ?? 'rprivate';
  return {
    destination: v.target,
    type: 'bind',
    source,
    options: ['rbind', v.read_only ? 'ro' : 'rw', propagation],
  };
}

async function volumeMount(ctx: MountContext, v: ServiceVolume, anonymous: string[]): Promise<OciMount> {
  let name: string;
  if (v.source) {
    const decl = ctx.project.volumes[v.source];
    name = decl?.name ?? v.source;
    const labels = decl?.external
      ? {}
      : { [LABEL.project]: ctx.project.name, [LABEL.volume]: v.source, ...(decl?.labels ?? {}) };
    if (decl?.external && !(await inspectVolume(name))) {
      throw new RuntimeError(`${what(ctx)}: external volume "${name}" not found`);
    }
    await ensureVolume(name, labels);
  } else {
    name = randomBytes(32).toString('hex');
    await ensureVolume(name, { [ANONYMOUS_LABEL]: '', [LABEL.project]: ctx.project.name });
    anonymous.push(name);
  }
  if (ctx.rootfs && v.volume?.nocopy !== true && !v.volume?.subpath)
    await populate(name, ctx.rootfs, v.target);
  let source = volumeData(name);
  if (v.volume?.subpath) {
    source = join(source, v.volume.subpath);
    if (!source.startsWith(volumeData(name))) throw new RuntimeError(`${what(ctx)}: bad volume subpath`);
    await mkdir(source, { recursive: true });
  }
  return {
    destination: v.target,
    type: 'bind',
    source,
    options: ['rbind', v.read_only ? 'ro' : 'rw', 'rprivate'],
  };
}

function tmpfsMount(v: ServiceVolume): OciMount {
  const options = ['nosuid', 'nodev'];
  if (v.tmpfs?.size) options.push(`size=${v.tmpfs.size}`);
  if (v.tmpfs?.mode !== undefined) options.push(`mode=${v.tmpfs.mode.toString(8)}`);
  if (v.read_only) options.push('ro');
  return { destination: v.target, type: 'tmpfs', source: 'tmpfs', options };
}

export async function resolveMounts(ctx: MountContext): Promise<ResolvedMounts> {
  const anonymous: string[] = [];
  const mounts: OciMount[] = [];
  const taken = new Set<string>();
  for (const v of ctx.service.volumes) {
    taken.add(v.target);
    if (v.type === 'bind') mounts.push(await bindMount(ctx, v));
    else if (v.type === 'volume') mounts.push(await volumeMount(ctx, v, anonymous));
    else if (v.type === 'tmpfs') mounts.push(tmpfsMount(v));
    else
      throw new RuntimeError(
        `${what(ctx)}: volume type "${v.type}" is not supported by the embedded runtime`,
      );
  }
  for (const m of ctx.inherited) {
    if (!taken.has(m.destination)) {
      taken.add(m.destination);
      mounts.push(m);
    }
  }
  for (const target of ctx.imageVolumes) {
    if (!taken.has(target)) mounts.push(await volumeMount(ctx, { type: 'volume', target }, anonymous));
  }
  return { mounts, anonymous };
}
