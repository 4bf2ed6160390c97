// Legacy links on a user-defined network are names, nothing more: Docker's DNS gives the linking
// container `alias` for the linked service or container, and no other container sees it.
import type { Service } from '../../../model/types.js';

/** `links: [db:database]` as alias -> the service the alias stands for. */
export function linkAliases(service: Pick<Service, 'links'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const link of service.links ?? []) {
    const [target, alias] = link.split(':', 2);
    if (target && alias && alias !== target) out[alias] = target;
  }
  return out;
}
