// Single-container operations with their events. Recreate follows compose's four steps so that a failure
// at any step leaves the old container (or its replacement) in place for the next `up` to converge from.
import type { NetworkAttachRequest } from '../runtime/types.js';
import type { ContainerState, ImageInfo } from '../runtime/types.js';
import type { Service } from '../model/types.js';
import { containerLabels } from '../plan/labels.js';
import { stopTimeoutMs } from '../plan/service-facts.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';

function networkRequests(
  ctx: EngineContext,
  serviceName: string,
  service: Service,
  name: string,
): NetworkAttachRequest[] {
  if (service.network_mode) return [];
  const requests = Object.entries(service.networks ?? {})
    .map(([key, att]) => {
      const req: NetworkAttachRequest = {
        network: ctx.project.networks[key]?.name ?? `${ctx.project.name}_${key}`,
        aliases: [...new Set([serviceName, name, ...(att?.aliases ?? [])])],
      };
      if (att?.ipv4_address) req.ipv4Address = att.ipv4_address;
      if (att?.ipv6_address) req.ipv6Address = att.ipv6_address;
      if (att?.mac_address) req.macAddress = att.mac_address;
      if (att?.interface_name) req.interfaceName = att.interface_name;
      if (att?.priority !== undefined) req.priority = att.priority;
      return req;
    })
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.network < b.network ? -1 : 1));
  // A service-level mac_address is the first network's, as Docker applies it.
  const first = requests[0];
  if (first && service.mac_address && !first.macAddress) first.macAddress = service.mac_address;
  return requests;
}

export async function createContainer(
  ctx: EngineContext,
  serviceName: string,
  number: number,
  name: string,
  image: ImageInfo,
  replaces?: string,
): Promise<ContainerState> {
  const service = ctx.project.services[serviceName] as Service;
  emit(ctx, 'container', name, 'create', 'Creating', { service: serviceName });
  const state = await ctx.runtime.createContainer({
    name,
    project: ctx.project,
    serviceName,
    service,
    number,
    oneoff: false,
    labels: containerLabels(ctx.project, serviceName, number, image.id, replaces),
    image,
    networks: networkRequests(ctx, serviceName, service, name),
  });
  emit(ctx, 'container', name, 'create', 'Created', { service: serviceName });
  return state;
}

export async function startContainer(
  ctx: EngineContext,
  serviceName: string,
  c: { id: string; name: string; status?: string },
  /** The second half of a restart, whose `Restarting` line stands for the stop and the start. */
  restarting = false,
): Promise<void> {
  if (!restarting) emit(ctx, 'container', c.name, 'start', 'Starting', { service: serviceName });
  if (c.status === 'paused') await ctx.runtime.unpauseContainer(c.id);
  else await ctx.runtime.startContainer(c.id);
  emit(ctx, 'container', c.name, 'started', 'Started', { service: serviceName });
}

export async function stopContainer(
  ctx: EngineContext,
  serviceName: string,
  c: { id: string; name: string },
): Promise<void> {
  emit(ctx, 'container', c.name, 'stop', 'Stopping', { service: serviceName });
  await stopQuietly(ctx, serviceName, c);
  emit(ctx, 'container', c.name, 'stopped', 'Stopped', { service: serviceName });
}

/** The first half of a restart: compose prints `Restarting` and then, once it runs again, `Started`. */
export async function stopForRestart(
  ctx: EngineContext,
  serviceName: string,
  c: { id: string; name: string },
): Promise<void> {
  emit(ctx, 'container', c.name, 'restart', 'Restarting', { service: serviceName });
  await stopQuietly(ctx, serviceName, c);
}

async function stopQuietly(ctx: EngineContext, serviceName: string, c: { id: string }): Promise<void> {
  const service = ctx.project.services[serviceName];
  await ctx.runtime.stopContainer(c.id, {
    ...(service?.stop_signal ? { signal: service.stop_signal } : {}),
    timeoutMs: stopTimeoutMs(service, ctx.timeoutMs),
  });
}

export async function removeContainer(
  ctx: EngineContext,
  serviceName: string,
  c: { id: string; name: string },
  volumes = false,
): Promise<void> {
  emit(ctx, 'container', c.name, 'remove', 'Removing', { service: serviceName });
  await ctx.runtime.removeContainer(c.id, { force: true, volumes });
  emit(ctx, 'container', c.name, 'removed', 'Removed', { service: serviceName });
}

/** Create under a temporary name, stop and remove the old one, take over its name. */
export async function recreateContainer(
  ctx: EngineContext,
  serviceName: string,
  number: number,
  old: ContainerState,
  finalName: string,
  image: ImageInfo,
): Promise<ContainerState> {
  emit(ctx, 'container', finalName, 'recreate', 'Recreate', { service: serviceName });
  const tmpName = `${old.id.slice(0, 12)}_${finalName}`;
  const created = await createContainer(ctx, serviceName, number, tmpName, image, old.name);
  await stopContainer(ctx, serviceName, old);
  await removeContainer(ctx, serviceName, old);
  await ctx.runtime.renameContainer(created.id, finalName);
  emit(ctx, 'container', finalName, 'recreate', 'Recreated', { service: serviceName });
  return { ...created, name: finalName };
}
