// `cmp ps`: the project's containers, one-off `run` containers included, as compose lists them.
import type { Project } from '../../model/types.js';
import type { ContainerStatus, Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import { formatTemplate } from '../format/go-template.js';
import { formatPsJson, formatPsTable, psTemplateRow } from '../format/ps.js';
import type { GlobalOptions } from '../globals.js';
import { nowOf, selectContainers, serviceOf, stdio, type CommandIO } from './common.js';
import { stringList } from './flags/values.js';
import { open } from './open.js';

const STATUSES: readonly ContainerStatus[] = [
  'paused',
  'restarting',
  'removing',
  'running',
  'dead',
  'created',
  'exited',
];

export interface PsFlags {
  all: boolean;
  quiet: boolean;
  services: boolean;
  status: ContainerStatus[];
  /** table, json, or a Go template (`{{.Name}}`, `table {{.Service}}\t{{.State}}`). */
  format: string;
  noTrunc: boolean;
  /** `--orphans=false`: leave out containers of services the file no longer has. */
  orphans: boolean;
}

/** `--filter status=running` (repeatable): compose's one filter, read as --status. */
function filterFlag(values: readonly string[]): string[] {
  return values.map((f) => {
    const m = /^status=(.+)$/.exec(f);
    if (!m)
      throw new UsageError(`--filter: unknown filter "${f}"`, { hint: 'the one filter is status=STATE' });
    return m[1] as string;
  });
}

export function readPsFlags(o: Record<string, unknown>): PsFlags {
  const status = [...stringList(o.status), ...filterFlag(stringList(o.filter))].map((s) => {
    if (!(STATUSES as readonly string[]).includes(s))
      throw new UsageError(`--status: unknown state "${s}"`, { hint: `use one of ${STATUSES.join(', ')}` });
    return s as ContainerStatus;
  });
  const format = typeof o.format === 'string' ? o.format : 'table';
  if (format !== 'table' && format !== 'json' && !format.includes('{{'))
    throw new UsageError(`--format: expected table, json or a Go template, got "${format}"`, {
      hint: "e.g. --format '{{.Name}} {{.State}}'",
    });
  return {
    all: o.all === true,
    quiet: o.quiet === true,
    services: o.services === true,
    status,
    format,
    noTrunc: o.trunc === false,
    orphans: o.orphans !== 'false',
  };
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readPsFlags(o);
  const { project, runtime } = await open(g, args, { fromLabels: true });
  return psCommand(runtime, project, flags, args, stdio());
}

export async function psCommand(
  runtime: Runtime,
  project: Project,
  flags: PsFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  // A --status filter other than running needs stopped containers too, as `docker ps --filter` does.
  const all = flags.all || flags.status.some((s) => s !== 'running');
  const containers = (await selectContainers(runtime, project, { services, all, oneoff: 'include' }))
    .filter((c) => flags.status.length === 0 || flags.status.includes(c.status))
    .filter((c) => flags.orphans || project.services[serviceOf(c)] !== undefined);
  if (flags.quiet) io.out(containers.map((c) => `${c.id}\n`).join(''));
  else if (flags.services) io.out([...new Set(containers.map(serviceOf))].map((s) => `${s}\n`).join(''));
  else if (flags.format === 'json') io.out(formatPsJson(containers, nowOf(io)));
  else if (flags.format === 'table') io.out(formatPsTable(containers, nowOf(io), flags.noTrunc));
  else
    io.out(
      formatTemplate(
        flags.format,
        containers.map((c) => psTemplateRow(c, nowOf(io), flags.noTrunc)),
      ),
    );
  return 0;
}
