// A service's volumes and tmpfs mounts as pod volumes. Named volumes are PersistentVolumeClaims
// (pvc.ts); everything that lived on the host has no place in a cluster and becomes an emptyDir.
import type { Service, ServiceVolume } from '../../model/types.js';
import { type ConvertContext, displayPath, report } from './context.js';
import { dnsLabel } from './names.js';
import { memoryQuantity } from './resources.js';
import type { PodVolume, VolumeMount } from './types.js';

export interface PodStorage {
  volumes: PodVolume[];
  mounts: VolumeMount[];
}

/** The claim a named volume is mounted from: its key, or the real name of an external volume. */
export function claimName(ctx: ConvertContext, key: string): string {
  const v = ctx.project.volumes[key];
  return dnsLabel(v?.external ? v.name : key);
}

/** Named (non-anonymous) volumes a service mounts: these make it a StatefulSet. */
export function namedVolumes(s: Service): string[] {
  const keys = s.volumes.filter((v) => v.type === 'volume' && v.source).map((v) => v.source as string);
  return [...new Set(keys)];
}

function podVolumeName(prefix: string, rest: string): string {
  return dnsLabel(`${prefix}-${rest}`);
}

function mountOne(
  ctx: ConvertContext,
  service: string,
  v: ServiceVolume,
  index: number,
  out: PodStorage,
): void {
  const mount = (name: string, extra: Partial<VolumeMount> = {}): void => {
    out.mounts.push({ name, mountPath: v.target, ...(v.read_only ? { readOnly: true } : {}), ...extra });
  };
  const addVolume = (vol: PodVolume): void => {
    if (!out.volumes.some((x) => x.name === vol.name)) out.volumes.push(vol);
  };
  switch (v.type) {
    case 'volume': {
      if (!v.source) {
        const name = podVolumeName('anon', String(index));
        addVolume({ name, emptyDir: {} });
        mount(name);
        return;
      }
      const name = podVolumeName('data', v.source);
      addVolume({ name, persistentVolumeClaim: { claimName: claimName(ctx, v.source) } });
      mount(name, v.volume?.subpath ? { subPath: v.volume.subpath } : {});
      return;
    }
    case 'tmpfs': {
      const name = podVolumeName('tmpfs', String(index));
      const size = v.tmpfs?.size;
      addVolume({
        name,
        emptyDir: { medium: 'Memory', ...(size ? { sizeLimit: memoryQuantity(size) } : {}) },
      });
      mount(name);
      return;
    }
    case 'bind': {
      const name = podVolumeName('bind', String(index));
      addVolume({ name, emptyDir: {} });
      mount(name);
      report(
        ctx,
        service,
        `volumes: ${displayPath(ctx, v.source ?? '')}:${v.target}`,
        'converted',
        'bind mount: host paths do not exist on cluster nodes, mounted as an empty emptyDir (put file content in a `configs:` entry to get a ConfigMap)',
      );
      return;
    }
    default:
      report(
        ctx,
        service,
        `volumes: ${v.target}`,
        'ignored',
        `volume type ${v.type} has no Kubernetes equivalent`,
      );
  }
}

export function storageFor(ctx: ConvertContext, service: string, s: Service): PodStorage {
  const out: PodStorage = { volumes: [], mounts: [] };
  s.volumes.forEach((v, i) => mountOne(ctx, service, v, i, out));
  (s.tmpfs ?? []).forEach((entry, i) => {
    const target = String(entry).split(':')[0] ?? '';
    if (!target) return;
    const name = podVolumeName('tmpfs', `t${i}`);
    out.volumes.push({ name, emptyDir: { medium: 'Memory' } });
    out.mounts.push({ name, mountPath: target });
  });
  return out;
}
