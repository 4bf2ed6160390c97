// `configs` and `secrets`: their content goes into a ConfigMap or a Secret (one per entry, one data
// key), mounted file by file at the service's target with subPath. External ones, and files that
// cannot be read, are referenced by name and must exist in the namespace.
import type { ConfigOrSecret, Service } from '../../model/types.js';
import { type ConvertContext, displayPath, report } from './context.js';
import { dataKey, dnsLabel } from './names.js';
import type { PodStorage } from './volumes.js';

export type FileKind = 'configs' | 'secrets';

export interface FileSource {
  objectName: string;
  key: string;
  /** The content to store; undefined when the object is referenced, not created. */
  content?: Buffer;
}

export function fileSource(ctx: ConvertContext, kind: FileKind, key: string): FileSource {
  const def: ConfigOrSecret | undefined = ctx.project[kind][key];
  const external = def?.external === true;
  const out: FileSource = { objectName: dnsLabel(external && def ? def.name : key), key: dataKey(key) };
  if (!def || external) return out;
  if (def.content !== undefined) out.content = Buffer.from(def.content);
  else if (def.environment !== undefined) {
    const v = ctx.options.env[def.environment];
    if (v !== undefined) out.content = Buffer.from(v);
  } else if (def.file !== undefined) out.content = ctx.options.readFile(def.file);
  return out;
}

/** Reports, once per project, what will not be created; called by the index for each used entry. */
export function reportMissing(ctx: ConvertContext, kind: FileKind, key: string, src: FileSource): void {
  const def = ctx.project[kind][key];
  const what = kind === 'configs' ? 'ConfigMap' : 'Secret';
  if (def?.external) {
    report(
      ctx,
      `${kind}.${key}`,
      'external',
      'note',
      `not created: the ${what} "${src.objectName}" (key "${src.key}") must exist in the namespace`,
    );
  } else if (src.content === undefined) {
    const from = def?.file
      ? `file ${displayPath(ctx, def.file)} cannot be read`
      : def?.environment
        ? `variable ${def.environment} is not set`
        : 'no content';
    report(
      ctx,
      `${kind}.${key}`,
      'content',
      'note',
      `${from}: not created, create the ${what} "${src.objectName}" with key "${src.key}"`,
    );
  }
}

function targetOf(kind: FileKind, source: string, target: string | undefined): string {
  const t = target ?? source;
  if (t.startsWith('/')) return t;
  return kind === 'secrets' ? `/run/secrets/${t}` : `/${t}`;
}

export function fileMounts(ctx: ConvertContext, service: string, s: Service): PodStorage {
  const out: PodStorage = { volumes: [], mounts: [] };
  for (const kind of ['configs', 'secrets'] as const) {
    for (const ref of s[kind] ?? []) {
      const src = fileSource(ctx, kind, ref.source);
      let name = dnsLabel(`${kind === 'configs' ? 'cfg' : 'sec'}-${ref.source}`);
      for (let n = 2; out.volumes.some((v) => v.name === name); n++) name = dnsLabel(`${name}-${n}`);
      const items = [{ key: src.key, path: src.key, ...(ref.mode !== undefined ? { mode: ref.mode } : {}) }];
      out.volumes.push(
        kind === 'configs'
          ? { name, configMap: { name: src.objectName, items } }
          : { name, secret: { secretName: src.objectName, items } },
      );
      out.mounts.push({
        name,
        mountPath: targetOf(kind, ref.source, ref.target),
        subPath: src.key,
        readOnly: true,
      });
      if (ref.uid !== undefined || ref.gid !== undefined) {
        report(
          ctx,
          service,
          `${kind}: ${ref.source} uid/gid`,
          'ignored',
          'file ownership per mount has no equivalent (fsGroup applies to the whole pod)',
        );
      }
    }
  }
  return out;
}
