// Small facts about a service that the plan and the engine must read the same way.
import type { Project, Service } from '../model/types.js';
import { durationMs } from '../model/duration.js';
import type { ImageConfig, PullPolicy } from '../runtime/types.js';
import { ModelError } from '../util/errors.js';
import { HOST_ROOTFS_IMAGE, isHostRootfs } from '../model/extensions.js';

/** The image a service runs; a build-only service uses compose's default name `<project>-<service>`. */
export function imageRef(project: Project, name: string): { ref: string; buildOnly: boolean } {
  const service = project.services[name] as Service;
  if (service.image) return { ref: service.image, buildOnly: false };
  if (isHostRootfs(service)) return { ref: HOST_ROOTFS_IMAGE, buildOnly: false };
  if (service.build) return { ref: `${project.name}-${name}`, buildOnly: true };
  throw new ModelError(`service "${name}" has neither an image nor a build context specified`, {
    hint: 'add image: to the service',
  });
}

/** Maps compose's pull_policy values onto the runtime's four; periodic policies act as `missing`. */
export function pullPolicy(service: Service): PullPolicy {
  switch (service.pull_policy) {
    case 'always':
      return 'always';
    case 'never':
      return 'never';
    case 'build':
      return 'build';
    default:
      return 'missing';
  }
}

export function replicas(name: string, service: Service, scale: Record<string, number> | undefined): number {
  const n = scale?.[name] ?? service.scale ?? service.deploy?.replicas ?? 1;
  if (n > 1 && service.container_name) {
    throw new ModelError(
      `services.${name}: can't set container_name and ${name} as container name must be unique`,
      { hint: 'remove container_name to run more than one replica' },
    );
  }
  return n;
}

export function containerName(project: Project, name: string, number: number): string {
  return (project.services[name] as Service).container_name ?? `${project.name}-${name}-${number}`;
}

/** Runtime names of the networks a service's containers attach to (none when network_mode is set). */
export function expectedNetworks(project: Project, service: Service): string[] {
  if (service.network_mode) return [];
  return Object.keys(service.networks ?? {})
    .map((key) => project.networks[key]?.name ?? `${project.name}_${key}`)
    .sort();
}

/**
 * Whether a container of this service will report health: its own healthcheck wins, `disable` or NONE
 * switch the image's off. `undefined` when the image is unknown (a dry run before any pull).
 */
export function hasHealthcheck(service: Service, image: ImageConfig | undefined | null): boolean | undefined {
  const hc = service.healthcheck;
  if (hc?.disable || hc?.test?.[0] === 'NONE') return false;
  if (hc?.test && hc.test.length > 0) return true;
  if (image === undefined || image === null) return undefined;
  const test = image.healthcheck?.test;
  return test !== undefined && test.length > 0 && test[0] !== 'NONE';
}

/** `-t` wins, then stop_grace_period, then the 10 s engine default. */
export function stopTimeoutMs(service: Service | undefined, override: number | undefined): number {
  return override ?? durationMs(service?.stop_grace_period, 10_000);
}
