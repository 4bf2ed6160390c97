// `cmp images`: the images of the project's containers.
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { formatImages, splitReference, type ImageRow } from '../format/images.js';
import type { GlobalOptions } from '../globals.js';
import { selectContainers, stdio, type CommandIO } from './common.js';
import { tableOrJson } from './flags/values.js';
import { open } from './open.js';

export async function imagesCommand(
  runtime: Runtime,
  project: Project,
  flags: { quiet: boolean; format: 'table' | 'json' },
  services: string[],
  io: CommandIO,
): Promise<number> {
  const containers = await selectContainers(runtime, project, { services, all: true, oneoff: 'include' });
  const rows: ImageRow[] = [];
  for (const c of containers) {
    const info = await runtime.inspectImage(c.image);
    const { repository, tag } = splitReference(c.image);
    rows.push({
      container: c.name,
      repository,
      tag,
      id: info?.id ?? c.labels['com.docker.compose.image'] ?? '',
      ...(info?.size !== undefined ? { size: info.size } : {}),
    });
  }
  io.out(formatImages(rows, flags.format, flags.quiet));
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const format = tableOrJson(o.format);
  const { project, runtime } = await open(g, args, { fromLabels: true });
  return imagesCommand(runtime, project, { quiet: o.quiet === true, format }, args, stdio());
}
