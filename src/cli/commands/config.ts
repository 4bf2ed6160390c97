// `cmp config`: load, validate and print the canonical project, or one list of names from it.
import type { GlobalOptions } from '../globals.js';
import type { Project } from '../../model/types.js';
import { writeOutput } from './output.js';
import { loadOptionsFromGlobals } from '../load-options.js';

function lines(items: Iterable<string>): string {
  const list = [...items];
  return list.length ? `${list.join('\n')}\n` : '';
}

function imageOf(p: Project, name: string): string {
  return p.services[name]?.image ?? `${p.name}-${name}`;
}

export async function run(
  g: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[] = [],
): Promise<number> {
  const { loadProject } = await import('../../loader/index.js');
  const cwd = process.cwd();
  const load = loadOptionsFromGlobals(g, cwd, args.length ? args : undefined);
  load.interpolate = opts.interpolate !== false;
  const project = await loadProject(load);
  if (opts.quiet) return 0;

  let text: string;
  if (opts.services) text = lines(Object.keys(project.services));
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
