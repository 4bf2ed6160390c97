// `cmp ls`: the projects this runtime runs, with their containers counted by state.
import type { Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import { formatLs, projectRow, type ProjectRow } from '../format/ls.js';
import type { GlobalOptions } from '../globals.js';
import { stdio, type CommandIO } from './common.js';

export interface LsFlags {
  all: boolean;
  quiet: boolean;
  format: 'table' | 'json';
}

export function readLsFlags(o: Record<string, unknown>): LsFlags {
  const format = o.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format: expected table or json, got "${String(format)}"`);
  return { all: o.all === true, quiet: o.quiet === true, format };
}

/**
 * Without -a only projects with a running container are listed, as in compose. `fallback` names the
 * current project for a runtime that cannot list projects.
 */
export async function lsCommand(
  runtime: Runtime,
  flags: LsFlags,
  io: CommandIO,
  fallback?: string,
): Promise<number> {
  let names: string[];
  if (runtime.listProjects) names = await runtime.listProjects({ all: flags.all });
  else {
    io.err(
      `Warning: the ${runtime.kind} runtime cannot list projects yet; showing the current project only\n`,
    );
    names = fallback ? [fallback] : [];
  }
  const rows: ProjectRow[] = [];
  for (const name of new Set(names)) {
    const containers = await runtime.listContainers(name, { all: true });
    if (containers.length === 0) continue;
    if (!flags.all && !containers.some((c) => c.status === 'running')) continue;
    rows.push(projectRow(name, containers));
  }
  io.out(formatLs(rows, flags.format, flags.quiet));
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>): Promise<number> {
  const flags = readLsFlags(o);
  const { runtimeKindFor, loadForCommand } = await import('../context.js');
  const { openRuntime } = await import('../../runtime/open.js');
  // `ls` works anywhere: a compose file here is only used to pick the runtime and as the fallback project.
  const project = await loadForCommand(g).catch(() => undefined);
  const runtime = await openRuntime(runtimeKindFor(g, project));
  return lsCommand(runtime, flags, stdio(), project?.name);
}
