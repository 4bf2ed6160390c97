// `cmp push [SERVICE...]`: the images the project builds, to the registries their `image:` names. As in
// compose, a service without both `build:` and `image:` has nothing of its own to push and is skipped.
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { isCmpError, RuntimeError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, stdio, type CommandIO } from './common.js';
import { open } from './open.js';

export interface PushFlags {
  quiet: boolean;
  ignoreFailures: boolean;
}

/** Pushes one image; `say` gets docker's progress lines. */
export type ImagePusher = (ref: string, say: (line: string) => void) => Promise<void>;

export function pushableImages(project: Project, services: readonly string[]): string[] {
  checkServices(project, services);
  const names = services.length > 0 ? services : Object.keys(project.services).sort();
  const refs = names.flatMap((n) => {
    const s = project.services[n];
    return s?.build && s.image ? [s.image] : [];
  });
  return [...new Set(refs)];
}

export async function pushCommand(
  push: ImagePusher,
  project: Project,
  flags: PushFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  for (const ref of pushableImages(project, services)) {
    try {
      await push(ref, (line) => (flags.quiet ? undefined : io.err(`${line}\n`)));
      if (!flags.quiet) io.err(`Pushed ${ref}\n`);
    } catch (e) {
      if (!flags.ignoreFailures || !isCmpError(e)) throw e;
      io.err(`Warning: push ${ref}: ${e.format()}\n`);
    }
  }
  return 0;
}

async function pusherFor(runtime: Runtime): Promise<ImagePusher> {
  if (runtime.kind === 'embedded') {
    const { ImageStore } = await import('../../runtime/embedded/images/store.js');
    const store = new ImageStore();
    return async (ref, say) => void (await store.push(ref, say));
  }
  const { DockerRuntime } = await import('../../runtime/docker/runtime.js');
  if (runtime instanceof DockerRuntime) {
    const { pushWithEngine } = await import('../../runtime/docker/push.js');
    return (ref, say) => pushWithEngine(runtime.docker, ref, say);
  }
  throw new RuntimeError(`the ${runtime.kind} runtime cannot push images`);
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args);
  const flags = { quiet: o.quiet === true, ignoreFailures: o.ignorePushFailures === true };
  return pushCommand(await pusherFor(runtime), project, flags, args, stdio());
}
