// cmp's own `x-cmp` extension blocks, read in one place. The schema (schemas/compose.schema.json)
// describes them; docs/schema.md documents them.
import type { Network, Project, Service } from './types.js';

/** The image reference a host-rootfs service runs: no registry has it; the embedded runtime makes it. */
export const HOST_ROOTFS_IMAGE = 'cmp.local/host-rootfs:latest';

interface ServiceExtension {
  host_rootfs?: boolean;
  restart_unhealthy?: boolean | { max_restarts?: number };
}

function block<T>(holder: Record<string, unknown> | undefined): T | undefined {
  const value = holder?.['x-cmp'];
  return value && typeof value === 'object' ? (value as T) : undefined;
}

/** A service that runs on the host's read-only root filesystem instead of an image. */
export function isHostRootfs(service: Service): boolean {
  return block<ServiceExtension>(service)?.host_rootfs === true;
}

export function ipAssignment(network: Network): 'sticky' | 'sequential' {
  return block<{ ip_assignment?: string }>(network)?.ip_assignment === 'sequential' ? 'sequential' : 'sticky';
}

export function projectRuntime(project: Project): string | undefined {
  return block<{ runtime?: string }>(project.extensions)?.runtime;
}
