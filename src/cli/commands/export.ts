// `cmp export SERVICE`: a service container's filesystem (without its volumes) as a tar archive, on
// stdout or into -o FILE.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RuntimeError, UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { serviceContainer } from './common.js';
import { countFlag } from './flags/values.js';
import { open } from './open.js';

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const [service, ...extra] = args;
  if (service === undefined || extra.length > 0)
    throw new UsageError('export needs one service', { hint: 'cmp export SERVICE -o FILE.tar' });
  const output = typeof o.output === 'string' ? o.output : undefined;
  if (output === undefined && process.stdout.isTTY)
    throw new UsageError('refusing to write a tar archive to a terminal', {
      hint: 'use -o FILE.tar or redirect stdout',
    });
  const { project, runtime } = await open(g, [service], { fromLabels: true });
  const c = await serviceContainer(runtime, project, service, countFlag(o.index, '--index') ?? 1);
  if (!runtime.exportContainer)
    throw new RuntimeError(`the ${runtime.kind} runtime cannot export containers in cmp yet`, {
      hint: 'use docker export with the container name from cmp ps',
    });
  const tar = await runtime.exportContainer(c.id);
  if (output !== undefined) await pipeline(tar, createWriteStream(output));
  // stdout stays open for the CLI's own ending.
  else await pipeline(tar, process.stdout, { end: false });
  return 0;
}
