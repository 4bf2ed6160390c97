// `cmp config`: load, validate and print the canonical project, or one list of names from it.
import type { GlobalOptions } from '../globals.js';
import type { Project } from '../../model/types.js';
import type { TemplateVariable } from '../../loader/variables.js';
import { writeOutput } from './output.js';
import { loadOptionsFromGlobals } from '../load-options.js';

function lines(items: Iterable<string>): string {
  const list = [...items];
  return list.length ? `${list.join('\n')}\n` : '';
}

function imageOf(p: Project, name: string): string {
  return p.services[name]?.image ?? `${p.name}-${name}`;
}

/**
 * Compose's table: each column but the last as wide as its widest cell plus 3, at least 20 (Go's
 * tabwriter as compose sets it up); rows sorted by name, where compose's order varies from run to run.
 */
function variablesTable(vars: readonly TemplateVariable[]): string {
  const rows = [
    ['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'],
    ...vars.map((v) => [v.name, String(v.required), v.defaultValue, v.alternateValue]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(20, ...rows.map((r) => (r[c] ?? '').length + 3)));
  return lines(rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c] ?? 20) : cell)).join('')));
}

export async function run(
  g: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[] = [],
): Promise<number> {
  const { loadProject } = await import('../../loader/index.js');
  const cwd = process.cwd();
  const load = loadOptionsFromGlobals(g, cwd, args.length ? args : undefined);
  // --variables lists what the files ask for, so a required variable that is unset is no error there.
  load.interpolate = opts.interpolate !== false && !opts.variables;
  const project = await loadProject(load);
  if (opts.quiet) return 0;

  let text: string;
  if (opts.variables) {
    const { fileVariables } = await import('../../loader/variables.js');
    text = variablesTable(fileVariables(project.config_files));
  } else if (opts.services) text = lines(Object.keys(project.services));
  else if (opts.volumes) text = lines(Object.keys(project.volumes));
  else if (opts.networks) text = lines(Object.keys(project.networks));
  else if (opts.profiles) {
    const all = new Set<string>();
    for (const s of [...Object.values(project.services), ...Object.values(project.disabled_services)]) {
      for (const prof of s.profiles ?? []) all.add(prof);
    }
    text = lines([...all].sort());
  } else if (opts.images) text = lines(Object.keys(project.services).map((n) => imageOf(project, n)));
  else {
    const { formatProject } = await import('../../loader/serialize.js');
    text = await formatProject(project, opts.format === 'json' ? 'json' : 'yaml', {
      interpolated: load.interpolate,
    });
  }

  writeOutput(cwd, opts.output, text);
  return 0;
}
