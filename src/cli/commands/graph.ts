// `cmp graph`: the dependency and network picture of a project, from the files alone (no runtime).
import { extname } from 'node:path';
import type { GlobalOptions } from '../globals.js';
import { UsageError } from '../../util/errors.js';
import type { GraphFormat } from '../../graph/render/index.js';
import { writeOutput } from './output.js';
import { loadOptionsFromGlobals } from '../load-options.js';

const BY_EXTENSION: Record<string, GraphFormat> = {
  '.svg': 'svg',
  '.dot': 'dot',
  '.gv': 'dot',
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
  '.txt': 'text',
};

/** --format wins; otherwise `-o graph.svg` says what the file should hold; text by default. */
export function graphFormat(format: unknown, output: unknown): GraphFormat {
  if (typeof format === 'string') {
    if (format === 'text' || format === 'mermaid' || format === 'dot' || format === 'svg') return format;
    throw new UsageError(`unknown graph format "${format}"`, { hint: 'use mermaid, dot, svg or text' });
  }
  if (typeof output === 'string') return BY_EXTENSION[extname(output).toLowerCase()] ?? 'text';
  return 'text';
}

export async function run(
  g: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[] = [],
): Promise<number> {
  const { loadProject } = await import('../../loader/index.js');
  const { buildView, renderGraph } = await import('../../graph/render/index.js');
  const cwd = process.cwd();
  // Load everything and select here: the graph follows links and service: namespaces too, not only depends_on.
  const project = await loadProject(loadOptionsFromGlobals(g, cwd));
  const format = graphFormat(opts.format, opts.output);
  const text = renderGraph(buildView(project, { services: args, volumes: opts.volumes === true }), format);
  writeOutput(cwd, opts.output, text);
  return 0;
}
