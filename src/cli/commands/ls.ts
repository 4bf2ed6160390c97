// `cmp ls`: every project this runtime has containers of, found by their labels, with the containers
// counted by state, as `docker compose ls` prints them.
import type { Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import { formatLs, projectRow, type ProjectRow } from '../format/ls.js';
import { parseFilters } from '../format/resources.js';
import type { GlobalOptions } from '../globals.js';
import { stdio, type CommandIO } from './common.js';

export interface LsFlags {
  all: boolean;
  quiet: boolean;
  format: 'table' | 'json';
  /** `--filter name=X`: the name is X, or X is a pattern found in it (docker's filter matching). */
  names: string[];
}

export function readLsFlags(o: Record<string, unknown>): LsFlags {
  const format = o.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format: expected table or json, got "${String(format)}"`);
  const names = parseFilters(o.filter, ['name'], 'ls').get('name') ?? [];
  return { all: o.all === true, quiet: o.quiet === true, format, names };
}

function nameMatches(name: string, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return true;
  return wanted.some((w) => {
    if (w === name) return true;
    try {
      return new RegExp(w).test(name);
    } catch {
      return false;
    }
  });
}

/** Without -a only running containers count, so a project with none is left out, as in compose. */
export async function lsCommand(runtime: Runtime, flags: LsFlags, io: CommandIO): Promise<number> {
  const rows: ProjectRow[] = [];
  for (const name of await runtime.listProjects()) {
    if (!nameMatches(name, flags.names)) continue;
    const containers = await runtime.listContainers(name, { all: flags.all });
    if (containers.length === 0) continue;
    rows.push(projectRow(name, containers));
  }
  io.out(formatLs(rows, flags.format, flags.quiet));
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>): Promise<number> {
  const flags = readLsFlags(o);
  const { runtimeKindFor, loadForCommand } = await import('../context.js');
  const { openRuntime } = await import('../../runtime/open.js');
  // `ls` works anywhere: a compose file here only picks the runtime (its x-cmp.runtime).
  const project = await loadForCommand(g).catch(() => undefined);
  const runtime = await openRuntime(runtimeKindFor(g, project));
  return lsCommand(runtime, flags, stdio());
}
