// Phase 5, paths: make the relative paths of one file absolute against the folder they belong to
// (the project directory for `-f` files, the file's own folder for included or extended files).
// Done per file, before merging, because after a merge nobody knows which folder a value came from.
import { isAbsolute, resolve } from 'node:path';
import { isMapping, type Mapping } from './tree.js';

export function isRemoteContext(ctx: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ctx) || ctx.startsWith('git@') || ctx.startsWith('github.com/');
}

export function expandHome(p: string, home: string | undefined): string {
  if (home && (p === '~' || p.startsWith('~/'))) return home + p.slice(1);
  return p;
}

export function absPath(p: string, base: string, home: string | undefined): string {
  const e = expandHome(p, home);
  return isAbsolute(e) ? e : resolve(base, e);
}

/** `C:\\data` or `C:/data`: a Windows path, which compose takes as written. */
export function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p);
}

/** A short volume source is a host path when it starts like one; otherwise it names a volume. */
export function looksLikePath(src: string): boolean {
  return src.startsWith('.') || src.startsWith('/') || src.startsWith('~') || isWindowsPath(src);
}

export function resolveFilePaths(tree: Mapping, base: string, home: string | undefined): void {
  const services = tree.services;
  if (isMapping(services)) {
    for (const svc of Object.values(services)) if (isMapping(svc)) resolveServicePaths(svc, base, home);
  }
  const volumes = tree.volumes;
  if (isMapping(volumes)) {
    // A local bind volume's device is a host path, relative to the file as compose has it.
    for (const def of Object.values(volumes)) {
      if (!isMapping(def) || def.driver !== 'local' || !isMapping(def.driver_opts)) continue;
      const opts = def.driver_opts;
      if (opts.o === 'bind' && typeof opts.device === 'string')
        opts.device = absPath(opts.device, base, home);
    }
  }
  for (const kind of ['configs', 'secrets'] as const) {
    const group = tree[kind];
    if (!isMapping(group)) continue;
    for (const def of Object.values(group)) {
      if (isMapping(def) && typeof def.file === 'string') def.file = absPath(def.file, base, home);
    }
  }
}

function resolveServicePaths(svc: Mapping, base: string, home: string | undefined): void {
  if (typeof svc.build === 'string') {
    if (!isRemoteContext(svc.build)) svc.build = absPath(svc.build, base, home);
  } else if (isMapping(svc.build)) {
    const ctx = svc.build.context;
    if (ctx === undefined || ctx === null) svc.build.context = base;
    else if (typeof ctx === 'string' && !isRemoteContext(ctx)) svc.build.context = absPath(ctx, base, home);
    const extra = svc.build.additional_contexts;
    if (isMapping(extra)) {
      // A folder is relative to the file's folder, as compose has it; `docker-image://`, `service:`,
      // `target:` and URLs are not folders.
      for (const [k, v] of Object.entries(extra)) {
        if (typeof v === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(v)) extra[k] = absPath(v, base, home);
      }
    }
  }
  const ef = svc.env_file;
  if (typeof ef === 'string') svc.env_file = absPath(ef, base, home);
  else if (Array.isArray(ef)) {
    for (let i = 0; i < ef.length; i++) {
      const item: unknown = ef[i];
      if (typeof item === 'string') ef[i] = absPath(item, base, home);
      else if (isMapping(item) && typeof item.path === 'string') item.path = absPath(item.path, base, home);
    }
  }
  const lf = svc.label_file;
  if (typeof lf === 'string') svc.label_file = absPath(lf, base, home);
  else if (Array.isArray(lf))
    for (let i = 0; i < lf.length; i++)
      if (typeof lf[i] === 'string') lf[i] = absPath(lf[i] as string, base, home);
  if (Array.isArray(svc.volumes)) {
    const vols = svc.volumes;
    for (let i = 0; i < vols.length; i++) {
      const v: unknown = vols[i];
      if (typeof v === 'string') vols[i] = resolveShortVolume(v, base, home);
      else if (isMapping(v) && v.type === 'bind' && typeof v.source === 'string')
        v.source = absPath(v.source, base, home);
    }
  }
  const dev = svc.develop;
  if (isMapping(dev) && Array.isArray(dev.watch)) {
    for (const rule of dev.watch) {
      if (isMapping(rule) && typeof rule.path === 'string') rule.path = absPath(rule.path, base, home);
    }
  }
}

function resolveShortVolume(spec: string, base: string, home: string | undefined): string {
  if (isWindowsPath(spec)) return spec;
  const colon = spec.indexOf(':');
  if (colon <= 0) return spec;
  const src = spec.slice(0, colon);
  if (!looksLikePath(src) || src.startsWith('/')) return spec;
  return absPath(src, base, home) + spec.slice(colon);
}
