// `cmp commit SERVICE [REPOSITORY[:TAG]]`: an image from a service container's changes, as `docker compose
// commit`. Each runtime has a `commit` method outside the Runtime interface, found by shape as `build` is.
import { checkChanges, type CommitRequest } from '../../build/commit.js';
import type { Project } from '../../model/types.js';
import type { ImageInfo, Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { serviceContainer, stdio, type CommandIO } from './common.js';
import { countFlag, stringList } from './flags/values.js';
import { open } from './open.js';

interface Committer {
  commit(id: string, req: CommitRequest, signal?: AbortSignal): Promise<ImageInfo>;
}

function committerOf(runtime: Runtime): Committer | undefined {
  const c = (runtime as Partial<Committer>).commit;
  return typeof c === 'function' ? (runtime as Runtime & Committer) : undefined;
}

export interface CommitFlags {
  index: number;
  request: Omit<CommitRequest, 'ref'>;
}

export function readCommitFlags(o: Record<string, unknown>): CommitFlags {
  const changes = stringList(o.change);
  checkChanges(changes);
  return {
    index: countFlag(o.index, '--index') ?? 1,
    request: {
      pause: o.pause !== false,
      changes,
      ...(typeof o.message === 'string' ? { message: o.message } : {}),
      ...(typeof o.author === 'string' ? { author: o.author } : {}),
    },
  };
}

export async function commitCommand(
  runtime: Runtime,
  project: Project,
  flags: CommitFlags,
  args: string[],
  io: CommandIO,
): Promise<number> {
  const [service, ref, ...extra] = args;
  if (!service || extra.length > 0)
    throw new UsageError('commit needs a service and at most one image name', {
      hint: 'cmp commit [OPTIONS] SERVICE [REPOSITORY[:TAG]]',
      exitCode: 2,
    });
  const committer = committerOf(runtime);
  if (!committer) throw new UsageError(`the ${runtime.kind} runtime cannot commit containers`);
  const c = await serviceContainer(runtime, project, service, flags.index);
  const image = await committer.commit(c.id, { ...flags.request, ...(ref ? { ref } : {}) }, io.signal);
  io.out(`${image.id}\n`);
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readCommitFlags(o);
  const { project, runtime } = await open(g, args.slice(0, 1), { fromLabels: true });
  return commitCommand(runtime, project, flags, args, stdio());
}
