// `cmp volumes [SERVICE...]`: the project's volumes (those its services mount, when services are named),
// as compose's `volumes` lists them.
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { jsonLines, renderTable } from '../format/table.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, stdio, type CommandIO } from './common.js';
import { tableOrJson } from './flags/values.js';
import { open } from './open.js';

export interface VolumesFlags {
  quiet: boolean;
  format: 'table' | 'json';
}

export async function volumesCommand(
  runtime: Runtime,
  project: Project,
  flags: VolumesFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  const mounted = new Set(
    services.flatMap((s) =>
      (project.services[s]?.volumes ?? []).flatMap((m) =>
        m.type === 'volume' && m.source ? [project.volumes[m.source]?.name ?? m.source] : [],
      ),
    ),
  );
  const list = (await runtime.listVolumes(project.name))
    .filter((v) => services.length === 0 || mounted.has(v.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (flags.quiet) io.out(list.map((v) => `${v.name}\n`).join(''));
  else if (flags.format === 'json')
    io.out(
      jsonLines(
        list.map((v) => ({
          Driver: v.driver,
          Labels: v.labels,
          Mountpoint: v.mountpoint ?? '',
          Name: v.name,
        })),
      ),
    );
  else
    io.out(
      renderTable(
        ['DRIVER', 'VOLUME NAME'],
        list.map((v) => [v.driver, v.name]),
      ),
    );
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const format = tableOrJson(o.format);
  const { project, runtime } = await open(g, args, { fromLabels: true });
  return volumesCommand(runtime, project, { quiet: o.quiet === true, format }, args, stdio());
}
