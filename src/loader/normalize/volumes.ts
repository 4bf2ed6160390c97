// Service volume short syntax, `[SOURCE:]TARGET[:MODE]`, to the long form. A source that looks like a
// path is a bind (already made absolute by the paths phase); anything else names a volume.
import type { ServiceVolume } from '../../model/types.js';
import { isWindowsPath, looksLikePath } from '../paths.js';

export class VolumeSyntaxError extends Error {}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

export function parseVolumeShort(spec: string): ServiceVolume {
  const parts = spec.split(':');
  // `C:\\data:/data`: the drive letter's colon is part of the source.
  if (isWindowsPath(spec)) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  if (parts.some((p, i) => p === '' && i < 2) || parts.length > 3)
    throw new VolumeSyntaxError(`invalid volume specification: "${spec}"`);
  // The short syntax gives a volume compose's empty `volume:` options and a bind create_host_path,
  // where the long syntax gives neither unless written.
  if (parts.length === 1) return { type: 'volume', target: cleanTarget(parts[0] as string), volume: {} };
  const [src, dst, mode] = parts as [string, string, string | undefined];
  if (!dst.startsWith('/'))
    throw new VolumeSyntaxError(`invalid volume specification: "${spec}": target must be an absolute path`);
  const bind = looksLikePath(src);
  const v: ServiceVolume = { type: bind ? 'bind' : 'volume', source: src, target: cleanTarget(dst) };
  if (bind) v.bind = { create_host_path: true };
  else v.volume = {};
  for (const opt of (mode ?? '').split(',').filter((o) => o !== '')) {
    if (opt === 'ro') v.read_only = true;
    else if (opt === 'rw') v.read_only = false;
    else if (opt === 'z' || opt === 'Z') v.bind = { ...v.bind, selinux: opt };
    else if (opt === 'nocopy') v.volume = { ...v.volume, nocopy: true };
    else if (PROPAGATION.has(opt)) v.bind = { ...v.bind, propagation: opt };
    else if (opt === 'cached' || opt === 'delegated' || opt === 'consistent') v.consistency = opt;
    else throw new VolumeSyntaxError(`invalid volume mode "${opt}" in "${spec}"`);
  }
  if (v.read_only === false) delete v.read_only;
  return v;
}

export function cleanTarget(t: string): string {
  const collapsed = t.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}
