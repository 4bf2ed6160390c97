// `cmp cp SERVICE:SRC DEST` and `cmp cp SRC SERVICE:DEST`: files between a service's container (replica
// --index, default 1, running or not) and the host, with docker cp's path rules, -a and -L.
import type { Project } from '../../model/types.js';
import type { CopyOptions, Runtime } from '../../runtime/types.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { serviceContainer } from './common.js';
import { countFlag } from './flags/values.js';
import { open } from './open.js';

interface Side {
  service?: string;
  path: string;
}

/** `web:/etc/x` names a service's path; a path with a `/` before its first `:` is a host path, as in docker. */
function side(arg: string): Side {
  const colon = arg.indexOf(':');
  const slash = arg.indexOf('/');
  if (colon <= 0 || (slash >= 0 && slash < colon)) return { path: arg };
  return { service: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export async function cpCommand(
  runtime: Runtime,
  project: Project,
  args: string[],
  opts: CopyOptions & { index: number },
): Promise<number> {
  const [a, b] = args;
  if (a === undefined || b === undefined || args.length > 2)
    throw new UsageError('cp needs a source and a destination', {
      hint: 'cmp cp SERVICE:SRC_PATH DEST_PATH, or cmp cp SRC_PATH SERVICE:DEST_PATH',
    });
  const from = side(a);
  const to = side(b);
  if ((from.service === undefined) === (to.service === undefined))
    throw new UsageError('cp copies between a service container and the host: name the service on one side', {
      hint: 'cmp cp web:/etc/hosts ./hosts',
    });
  if (from.path === '-' || to.path === '-')
    throw new UsageError('cp - (a tar stream on stdin or stdout) is not supported by cmp', {
      hint: "copy to a folder, then use tar; 'cmp export SERVICE' writes a whole filesystem as a tar",
    });
  const service = (from.service ?? to.service) as string;
  const inside = from.service !== undefined ? from.path : to.path;
  if (!inside.startsWith('/'))
    throw new UsageError(`cp: the container path must be absolute, got "${inside}"`);
  const c = await serviceContainer(runtime, project, service, opts.index);
  const copy = { followLink: opts.followLink, archive: opts.archive };
  if (from.service !== undefined) {
    if (!runtime.copyFromContainer) throw noCopy(runtime);
    await runtime.copyFromContainer(c.id, from.path, to.path, copy);
  } else {
    if (!runtime.copyToContainer) throw noCopy(runtime);
    await runtime.copyToContainer(c.id, from.path, to.path, copy);
  }
  return 0;
}

function noCopy(runtime: Runtime): RuntimeError {
  return new RuntimeError(`the ${runtime.kind} runtime cannot copy files in cmp yet`, {
    hint: 'use docker cp with the container name from cmp ps',
  });
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const services = args.flatMap((a) => side(a).service ?? []);
  const { project, runtime } = await open(g, services, { fromLabels: true });
  return cpCommand(runtime, project, args, {
    archive: o.archive === true,
    followLink: o.followLink === true,
    index: countFlag(o.index, '--index') ?? 1,
  });
}
