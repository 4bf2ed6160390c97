// `cmp wait SERVICE...`: blocks until the services' containers stop; the exit code is the first one's.
import { down } from '../../engine/index.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { selectContainers, type CommandIO } from './common.js';
import { open, withSession } from './open.js';

export async function waitCommand(
  runtime: Runtime,
  project: Project,
  flags: { downProject: boolean },
  services: string[],
  io: CommandIO,
): Promise<number> {
  if (services.length === 0)
    throw new UsageError('wait needs at least one service', { hint: 'cmp wait SERVICE...' });
  const containers = await selectContainers(runtime, project, { services, all: true });
  if (containers.length === 0) throw new RuntimeError(`no containers for ${services.join(', ')}`);
  const ctrl = new AbortController();
  const onAbort = (): void => ctrl.abort(io.signal?.reason);
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // With --down-project the first exit ends the wait; without it, every container is waited for.
    const waits = containers.map((c) => runtime.waitContainer(c.id, ctrl.signal));
    const first = await Promise.race(waits);
    if (flags.downProject) {
      ctrl.abort();
      await Promise.allSettled(waits);
      await down(runtime, project, {}, io.sink);
    } else await Promise.all(waits);
    return first;
  } catch (e) {
    if (io.signal?.aborted) return 130;
    throw e;
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
  }
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args, { fromLabels: true });
  return withSession(g, (io) =>
    waitCommand(runtime, project, { downProject: o.downProject === true }, args, io),
  );
}
