// Attributes that name another service's container (`service:x`, volumes_from, links): the driver resolves
// them to containers before it builds the create options.

import type { Service } from '../../model/types.js';

export interface ResolvedRef {
  id: string;
  name: string;
}

/** Service names this service refers to through namespaces, volumes_from and links. */
export function referencedServices(service: Service): string[] {
  const out = new Set<string>();
  for (const mode of [service.network_mode, service.ipc, service.pid]) {
    if (mode?.startsWith('service:')) out.add(mode.slice('service:'.length));
  }
  for (const v of service.volumes_from ?? []) {
    if (!v.startsWith('container:')) out.add(v.split(':')[0] as string);
  }
  for (const l of service.links ?? []) out.add(l.split(':')[0] as string);
  return [...out];
}
