// Observation reads everything a plan needs from the runtime in one place, so planning itself stays pure.
import type { Project } from '../model/types.js';
import type { Runtime } from '../runtime/types.js';
import { isOneoff } from './plan-containers.js';
import { imageRef } from './service-facts.js';
import type { ObservedState } from './types.js';

export async function observe(runtime: Runtime, project: Project): Promise<ObservedState> {
  const [containers, networks, volumes] = await Promise.all([
    runtime.listContainers(project.name, { all: true }),
    runtime.listNetworks(project.name),
    runtime.listVolumes(project.name),
  ]);
  const declaredNetworks: ObservedState['declaredNetworks'] = {};
  const declaredVolumes: ObservedState['declaredVolumes'] = {};
  const images: ObservedState['images'] = {};
  await Promise.all([
    ...Object.values(project.networks).map(async (n) => {
      declaredNetworks[n.name] = (await runtime.inspectNetwork(n.name)) ?? null;
    }),
    ...Object.values(project.volumes).map(async (v) => {
      declaredVolumes[v.name] = (await runtime.inspectVolume(v.name)) ?? null;
    }),
    ...Object.keys(project.services).map(async (name) => {
      const service = project.services[name];
      if (!service?.image && !service?.build) return;
      const { ref } = imageRef(project, name);
      images[ref] = (await runtime.inspectImage(ref)) ?? null;
    }),
  ]);
  return {
    // One-off (`run`) containers belong to their command, never to convergence.
    containers: containers.filter((c) => !isOneoff(c)),
    oneoffs: containers.filter(isOneoff),
    networks,
    volumes,
    declaredNetworks,
    declaredVolumes,
    images,
  };
}
