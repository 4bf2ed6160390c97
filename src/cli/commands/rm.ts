// `cmp rm`: removes stopped containers (one-offs too; `-s` stops running one-offs as well). There is no prompt: without -f it lists what it
// would remove and exits 1, so a script never blocks on a question and never removes by surprise.
import { stop } from '../../engine/index.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { inDependencyOrder, selectContainers, serviceOf, type CommandIO } from './common.js';
import { open, withSession } from './open.js';

export interface RmFlags {
  force: boolean;
  stop: boolean;
  volumes: boolean;
}

export async function rmCommand(
  runtime: Runtime,
  project: Project,
  flags: RmFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  if (flags.stop) {
    if (!flags.force) {
      const running = (
        await selectContainers(runtime, project, { services, all: false, oneoff: 'include' })
      ).map((c) => c.name);
      if (running.length > 0) {
        io.out(`Going to stop and remove ${running.join(', ')}\n`);
        throw new UsageError('cmp rm does not ask: add -f to go ahead', { hint: 'cmp rm -s -f' });
      }
    } else await stop(runtime, project, { services, oneoffs: true }, io.sink, io.signal);
  }
  const stopped = (
    await selectContainers(runtime, project, { services, all: true, oneoff: 'include' })
  ).filter((c) => c.status === 'exited' || c.status === 'created' || c.status === 'dead');
  if (stopped.length === 0) {
    io.err('No stopped containers\n');
    return 0;
  }
  if (!flags.force) {
    io.out(`Going to remove ${stopped.map((c) => c.name).join(', ')}\n`);
    throw new UsageError('cmp rm does not ask: add -f to go ahead', { hint: 'cmp rm -f' });
  }
  for (const c of inDependencyOrder(project, stopped, true)) {
    const service = serviceOf(c);
    io.sink?.({
      time: Date.now(),
      kind: 'container',
      name: c.name,
      service,
      action: 'remove',
      status: 'Removing',
    });
    await runtime.removeContainer(c.id, { force: false, volumes: flags.volumes });
    io.sink?.({
      time: Date.now(),
      kind: 'container',
      name: c.name,
      service,
      action: 'removed',
      status: 'Removed',
    });
  }
  await runtime.release?.(project);
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags: RmFlags = { force: o.force === true, stop: o.stop === true, volumes: o.volumes === true };
  const { project, runtime } = await open(g, args, { prepare: true, fromLabels: true });
  return withSession(g, (io) => rmCommand(runtime, project, flags, args, io));
}
