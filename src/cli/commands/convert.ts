// `cmp convert --to kubernetes`: the same compose file as manifests for a cluster.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GlobalOptions } from '../globals.js';
import { loadForCommand } from '../context.js';
import { LoadError, UsageError } from '../../util/errors.js';

const EXPOSE = ['clusterip', 'nodeport', 'loadbalancer'] as const;
type Expose = (typeof EXPOSE)[number];

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export async function run(
  g: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[] = [],
): Promise<number> {
  // checked here rather than by commander, so the usage line alone still parses (docs tests)
  if (opts.to === undefined) {
    throw new UsageError('--to is required', { hint: 'cmp convert --to kubernetes' });
  }
  if (opts.to !== 'kubernetes') {
    throw new UsageError(`cannot convert to "${String(opts.to)}"`, {
      hint: 'only --to kubernetes is supported; Swarm is `cmp deploy`',
    });
  }
  const expose = String(opts.expose ?? 'clusterip') as Expose;
  if (!EXPOSE.includes(expose)) {
    throw new UsageError(`unknown --expose "${expose}"`, { hint: `one of ${EXPOSE.join(', ')}` });
  }
  const project = await loadForCommand(g, args);
  const { convertToKubernetes } = await import('../../convert/kubernetes/index.js');
  const out = await import('../../convert/kubernetes/output.js');
  const { objects, findings } = convertToKubernetes(project, {
    expose,
    env: process.env,
    readFile: readOrUndefined,
  });

  const dir = typeof opts.output === 'string' ? resolve(process.cwd(), opts.output) : undefined;
  if (dir) {
    try {
      mkdirSync(dir, { recursive: true });
      for (const o of objects) writeFileSync(join(dir, out.fileName(o)), out.objectYaml(o));
    } catch (e) {
      throw new LoadError(`cannot write to ${dir}: ${(e as Error).message}`);
    }
  } else process.stdout.write(out.multiDocument(objects));

  if (opts.report) {
    const table = out.reportTable(findings);
    // with manifests on stdout the table must not mix into them
    if (dir) process.stdout.write(table);
    else process.stderr.write(table);
  } else {
    for (const f of findings) process.stderr.write(`WARN ${out.findingLine(f)}\n`);
  }
  if (dir) process.stderr.write(`wrote ${objects.length} manifests to ${dir}\n`);
  return 0;
}
