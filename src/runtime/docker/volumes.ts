// Volumes with the labels docker compose writes, so either tool recognises the other's.
import type Dockerode from 'dockerode';
import { VERSION } from '../../version.js';
import { RuntimeError } from '../../util/errors.js';
import { LABEL, type VolumeCreateRequest, type VolumeState } from '../types.js';
import { call, callOrMissing, engineError, isNotFound } from './errors.js';
import { engineTime } from './container-state.js';
import { projectFilter } from './networks.js';

interface EngineVolume {
  Name: string;
  Driver: string;
  Mountpoint?: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
}

export function toVolumeState(v: EngineVolume): VolumeState {
  const out: VolumeState = { name: v.Name, labels: v.Labels ?? {}, driver: v.Driver };
  if (v.Mountpoint) out.mountpoint = v.Mountpoint;
  const created = engineTime(v.CreatedAt);
  if (created !== undefined) out.createdAt = created;
  return out;
}

export async function inspectVolume(docker: Dockerode, name: string): Promise<VolumeState | undefined> {
  const v = await callOrMissing(`inspect volume ${name}`, () => docker.getVolume(name).inspect());
  return v ? toVolumeState(v as EngineVolume) : undefined;
}

export async function listVolumes(docker: Dockerode, project: string): Promise<VolumeState[]> {
  const res = await call('list volumes', () => docker.listVolumes({ filters: projectFilter(project) }));
  return (res.Volumes ?? []).map((v) => toVolumeState(v as EngineVolume));
}

export async function createVolume(docker: Dockerode, req: VolumeCreateRequest): Promise<VolumeState> {
  const c = req.config;
  if (c.external) {
    const have = await inspectVolume(docker, req.name);
    if (!have) {
      throw new RuntimeError(`volume ${req.name} declared as external, but could not be found`, {
        hint: `create it first: docker volume create ${req.name}`,
      });
    }
    return have;
  }
  const body = {
    Name: req.name,
    Driver: c.driver ?? 'local',
    DriverOpts: c.driver_opts ?? {},
    Labels: {
      ...(c.labels ?? {}),
      [LABEL.version]: VERSION,
      ...req.labels,
      [LABEL.project]: req.project,
      [LABEL.volume]: req.key,
    },
  };
  await call(`create volume ${req.name}`, () => docker.createVolume(body));
  const made = await inspectVolume(docker, req.name);
  if (!made) throw new RuntimeError(`docker: volume ${req.name} was created but cannot be found`);
  return made;
}

export async function removeVolume(docker: Dockerode, name: string): Promise<void> {
  try {
    await docker.getVolume(name).remove();
  } catch (e) {
    if (!isNotFound(e)) throw engineError(`remove volume ${name}`, e);
  }
}
