// Networks, volumes and images come before any container: a container create refers to all three.
import type { Project, Service } from '../model/types.js';
import { networkLabels, volumeLabels } from '../plan/labels.js';
import { imageRef, pullPolicy } from '../plan/service-facts.js';
import type { UpPlan } from '../plan/types.js';
import { LABEL, type ImageInfo } from '../runtime/types.js';
import { EngineError } from '../util/errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { throwIfAborted } from './poll.js';
import { removeContainer, stopContainer } from './container-ops.js';

/**
 * Every `ipv4_address` any service asks for on this network, so the runtime reserves them all before it
 * hands out a dynamic address: a container started first must never take a later one's static address.
 */
export function staticAddresses(project: Project, networkKey: string): string[] {
  return Object.values(project.services)
    .map((s) => s.networks?.[networkKey]?.ipv4_address)
    .filter((a): a is string => typeof a === 'string')
    .sort();
}

export async function createNetworksAndVolumes(ctx: EngineContext, plan: UpPlan): Promise<void> {
  await Promise.all(
    plan.networks
      .filter((n) => n.action === 'create' || n.action === 'recreate')
      .map(async (n) => {
        if (n.action === 'recreate') {
          for (const c of n.containers) {
            const service = c.labels[LABEL.service] ?? '';
            if (c.status === 'running' || c.status === 'paused' || c.status === 'restarting')
              await stopContainer(ctx, service, c);
            await removeContainer(ctx, service, c);
          }
          emit(ctx, 'network', n.name, 'remove', 'Removing');
          await ctx.runtime.removeNetwork(n.name);
          emit(ctx, 'network', n.name, 'removed', 'Removed');
        }
        emit(ctx, 'network', n.name, 'create', 'Creating');
        await ctx.runtime.createNetwork({
          name: n.name,
          key: n.key,
          project: ctx.project.name,
          labels: networkLabels(ctx.project, n.key, n.config),
          config: n.config,
          reservedAddresses: staticAddresses(ctx.project, n.key),
        });
        emit(ctx, 'network', n.name, 'create', 'Created');
      }),
  );
  throwIfAborted(ctx.signal);
  await Promise.all(
    plan.volumes
      .filter((v) => v.action === 'create')
      .map(async (v) => {
        emit(ctx, 'volume', v.name, 'create', 'Creating');
        await ctx.runtime.createVolume({
          name: v.name,
          key: v.key,
          project: ctx.project.name,
          labels: volumeLabels(ctx.project, v.key, v.config),
          config: v.config,
        });
        emit(ctx, 'volume', v.name, 'create', 'Created');
      }),
  );
}

/**
 * Makes every image of the scope available (pulling per pull_policy) before the plan is computed, so the
 * plan can compare image ids and read image healthchecks. Building is not supported: a build-only service
 * must find its image already present under compose's default name.
 */
export async function ensureImages(
  ctx: EngineContext,
  services: readonly string[],
): Promise<Map<string, ImageInfo>> {
  const out = new Map<string, ImageInfo>();
  const byRef = new Map<string, Promise<ImageInfo>>();
  await Promise.all(
    services.map(async (name) => {
      const service = ctx.project.services[name] as Service;
      const { ref, buildOnly } = imageRef(ctx.project, name);
      let pending = byRef.get(ref);
      if (!pending) {
        pending =
          buildOnly || service.pull_policy === 'build'
            ? needPresent(ctx, name, ref)
            : ctx.runtime.ensureImage(ref, pullPolicy(service), ctx.sink, ctx.signal);
        byRef.set(ref, pending);
      }
      out.set(name, await pending);
    }),
  );
  return out;
}

async function needPresent(ctx: EngineContext, service: string, ref: string): Promise<ImageInfo> {
  const info = await ctx.runtime.inspectImage(ref);
  if (info) return info;
  emit(ctx, 'image', ref, 'error', 'Missing', { service });
  throw new EngineError(`service "${service}" needs image ${ref}, which must be built`, {
    hint: `run \`cmp build ${service}\` or \`cmp up --build\`, or set image: to a pullable reference`,
  });
}
