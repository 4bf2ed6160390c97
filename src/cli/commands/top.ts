// `cmp top`: the processes of each running container of the project.
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { formatTop } from '../format/top.js';
import type { GlobalOptions } from '../globals.js';
import { nowOf, selectContainers, stdio, type CommandIO } from './common.js';
import { open } from './open.js';
import { processTree } from './proc-tree.js';

export async function topCommand(
  runtime: Runtime,
  project: Project,
  services: string[],
  io: CommandIO,
  proc = '/proc',
): Promise<number> {
  const running = (
    await selectContainers(runtime, project, { services, all: false, oneoff: 'include' })
  ).filter((c) => c.status === 'running' || c.status === 'paused');
  const blocks: string[] = [];
  for (const c of running) {
    const rows = c.pid ? processTree(c.pid, nowOf(io), proc) : [];
    blocks.push(formatTop(c.name, rows));
  }
  io.out(blocks.join('\n'));
  return 0;
}

export async function run(g: GlobalOptions, _o: Record<string, unknown>, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args, { fromLabels: true });
  return topCommand(runtime, project, args, stdio());
}
