// `cmp attach SERVICE`: a running container's output from now on, as it comes, until the container ends
// (its exit code is ours) or Ctrl-C detaches, leaving it running. Output only: stdin is not forwarded,
// which is what compose's --no-stdin does.
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { serviceContainer, stdio, type CommandIO } from './common.js';
import { countFlag } from './flags/values.js';
import { readLogs, within } from './follow.js';
import { open } from './open.js';

export async function attachCommand(
  runtime: Runtime,
  project: Project,
  service: string,
  index: number,
  io: CommandIO,
): Promise<number> {
  const c = await serviceContainer(runtime, project, service, index, { running: true });
  const stop = new AbortController();
  const detach = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
  const reading = readLogs(runtime, c, { follow: true, signal: detach, sinceMs: Date.now() }, (e) =>
    e.stream === 'stderr' ? io.err(`${e.line}\n`) : io.out(`${e.line}\n`),
  );
  let code: number;
  try {
    code = await runtime.waitContainer(c.id, io.signal);
  } catch {
    // Detached by Ctrl-C: the container goes on.
    stop.abort();
    await reading;
    return 0;
  }
  // The last lines may arrive a moment after the exit.
  await within(reading, 1000);
  stop.abort();
  await reading;
  return code;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const [service, ...extra] = args;
  if (service === undefined || extra.length > 0)
    throw new UsageError('attach needs one service', { hint: 'cmp attach SERVICE' });
  const { project, runtime } = await open(g, [service], { fromLabels: true });
  const ctrlC = new AbortController();
  const onInt = (): void => ctrlC.abort();
  process.once('SIGINT', onInt);
  try {
    const index = countFlag(o.index, '--index') ?? 1;
    return await attachCommand(runtime, project, service, index, stdio({ signal: ctrlC.signal }));
  } finally {
    process.off('SIGINT', onInt);
  }
}
