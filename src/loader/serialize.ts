// The project's canonical model as data: top-level keys in compose's order, everything below sorted,
// empty sections left out, internals (working_dir, config_files, ...) not shown. Sorting makes two
// runs byte-identical whatever order the files were merged in. `cmp config` prints compose's view of
// it instead (compose-view.ts).
import type { Project } from '../model/types.js';

const KEEP_EMPTY = new Set(['command', 'entrypoint']);

function sortDeep(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => sortDeep(x));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      if (!KEEP_EMPTY.has(k) && isEmptyContainer(x) && key !== 'networks') continue;
      out[k] = sortDeep(x, k);
    }
    return out;
  }
  return v;
}

function isEmptyContainer(x: unknown): boolean {
  if (Array.isArray(x)) return x.length === 0;
  return typeof x === 'object' && x !== null && Object.keys(x).length === 0;
}

export function projectView(p: Project): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  for (const k of ['services', 'networks', 'volumes', 'configs', 'secrets'] as const) {
    if (Object.keys(p[k]).length > 0) out[k] = sortDeep(p[k], k);
  }
  for (const k of Object.keys(p.extensions).sort()) out[k] = p.extensions[k];
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}

/** `cmp config`'s output: the project as `docker compose config` prints it (compose-view.ts). */
export async function formatProject(
  p: Project,
  format: 'yaml' | 'json',
  opts: { interpolated: boolean } = { interpolated: true },
): Promise<string> {
  const { composeView } = await import('./compose-view.js');
  const shaped = composeView(p, { format, escape: opts.interpolated });
  // Without interpolation compose 2.26 prints every mapping's keys sorted.
  const view = opts.interpolated ? shaped : (sortKeys(shaped) as Record<string, unknown>);
  if (format === 'json') return `${JSON.stringify(view, null, 2)}\n`;
  const { toYaml } = await import('./yaml-emit.js');
  return toYaml(view);
}
