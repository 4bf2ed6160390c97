// Service volumes as Swarm mounts. Named volumes are not created up front: each node makes one when a
// task first mounts it, from the driver and labels in VolumeOptions.
import { parseBytes } from '../../loader/normalize/sizes.js';
import type { Project, Service } from '../../model/types.js';
import { resourceName, STACK_LABEL } from './names.js';
import type { SwarmMount } from './types.js';

/** `tmpfs: ["/run:size=64k,mode=1777"]` entries. */
function tmpfsMount(entry: string): SwarmMount {
  const [target = entry, opts = ''] = entry.split(/:(.*)/s);
  const m: SwarmMount = { Type: 'tmpfs', Target: target };
  const o: NonNullable<SwarmMount['TmpfsOptions']> = {};
  for (const part of opts.split(',')) {
    const [k, v] = part.split('=');
    if (k === 'size' && v) o.SizeBytes = parseBytes(v);
    if (k === 'mode' && v && /^[0-7]+$/.test(v)) o.Mode = parseInt(v, 8);
  }
  if (o.SizeBytes !== undefined || o.Mode !== undefined) m.TmpfsOptions = o;
  return m;
}

export function serviceMounts(project: Project, service: Service, stack: string): SwarmMount[] {
  const out: SwarmMount[] = [];
  for (const v of service.volumes) {
    if (v.type === 'bind') {
      const m: SwarmMount = { Type: 'bind', Source: v.source, Target: v.target };
      if (v.read_only) m.ReadOnly = true;
      if (v.bind?.propagation) m.BindOptions = { Propagation: v.bind.propagation };
      out.push(m);
    } else if (v.type === 'volume') {
      const m: SwarmMount = { Type: 'volume', Target: v.target };
      if (v.read_only) m.ReadOnly = true;
      const def = v.source ? project.volumes[v.source] : undefined;
      if (v.source) m.Source = def ? resourceName(stack, project.name, v.source, def) : v.source;
      const opts: NonNullable<SwarmMount['VolumeOptions']> = {};
      if (v.volume?.nocopy) opts.NoCopy = true;
      if (v.volume?.subpath) opts.Subpath = v.volume.subpath;
      if (def && !def.external) {
        opts.Labels = { ...def.labels, [STACK_LABEL.namespace]: stack };
        if (def.driver || def.driver_opts)
          opts.DriverConfig = {
            ...(def.driver ? { Name: def.driver } : {}),
            ...(def.driver_opts ? { Options: def.driver_opts } : {}),
          };
      }
      if (Object.keys(opts).length) m.VolumeOptions = opts;
      out.push(m);
    } else if (v.type === 'tmpfs') {
      const m: SwarmMount = { Type: 'tmpfs', Target: v.target };
      if (v.tmpfs?.size !== undefined || v.tmpfs?.mode !== undefined)
        m.TmpfsOptions = {
          ...(v.tmpfs.size !== undefined ? { SizeBytes: v.tmpfs.size } : {}),
          ...(v.tmpfs.mode !== undefined ? { Mode: v.tmpfs.mode } : {}),
        };
      out.push(m);
    }
  }
  for (const t of service.tmpfs ?? []) out.push(tmpfsMount(t));
  return out;
}
