// `down --rmi`: the images of a project's services, removed through the runtime after its containers are
// gone. An image that cannot go (another container uses it) is reported and kept, as compose does.
import type { Project } from '../model/types.js';
import { imageRef } from '../plan/service-facts.js';
import type { Runtime } from '../runtime/types.js';
import type { EventSink } from './events.js';

/** `local`: images compose named itself (build-only services); `all`: every image the services use. */
export function imagesToRemove(project: Project, services: string[], mode: 'local' | 'all'): string[] {
  const names = services.length > 0 ? services : Object.keys(project.services);
  const refs = new Set<string>();
  for (const n of names) {
    const { ref, buildOnly } = imageRef(project, n);
    if (mode === 'all' || buildOnly) refs.add(ref);
  }
  return [...refs].sort();
}

export async function removeImages(
  runtime: Runtime,
  project: Project,
  services: string[],
  mode: 'local' | 'all',
  sink?: EventSink,
): Promise<void> {
  for (const ref of imagesToRemove(project, services, mode)) {
    sink?.({ time: Date.now(), kind: 'image', name: ref, action: 'remove', status: 'Removing' });
    try {
      await runtime.removeImage(ref);
      sink?.({ time: Date.now(), kind: 'image', name: ref, action: 'removed', status: 'Removed' });
    } catch (e) {
      sink?.({
        time: Date.now(),
        kind: 'image',
        name: ref,
        action: 'warning',
        status: 'Not removed',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
