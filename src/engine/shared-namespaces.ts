// Services that join another service's container: `network_mode: service:x` shares its network namespace,
// `volumes_from: [x]` copies its mounts. Such a container can only be made once the provider's exists (and,
// on the embedded runtime, runs: its namespace is a running process's), so it is never created ahead.
import type { Service } from '../model/types.js';
import { LABEL } from '../runtime/types.js';
import { EngineError } from '../util/errors.js';
import type { EngineContext } from './context.js';

interface Provider {
  service: string;
  /** Compose's word for what is shared, as in "cannot share network namespace with service x". */
  what: 'network namespace' | 'volume';
}

export function providersOf(service: Service): Provider[] {
  const out: Provider[] = [];
  const mode = service.network_mode;
  if (mode?.startsWith('service:'))
    out.push({ service: mode.slice('service:'.length), what: 'network namespace' });
  for (const v of service.volumes_from ?? []) {
    if (v.startsWith('container:')) continue;
    out.push({ service: v.split(':')[0] as string, what: 'volume' });
  }
  return out;
}

/** True when the service's containers must wait for another service's container before being created. */
export function joinsAnother(service: Service): boolean {
  return providersOf(service).length > 0;
}

/**
 * Refuses, as compose does, to converge a service whose provider has no container (removed, or left out
 * by `--no-deps`), instead of letting the runtime fail on a namespace that is gone.
 */
export async function checkProviders(ctx: EngineContext, name: string): Promise<void> {
  const providers = providersOf(ctx.project.services[name] as Service);
  if (providers.length === 0) return;
  const containers = await ctx.runtime.listContainers(ctx.project.name, { all: true });
  for (const p of providers) {
    const present = containers.some(
      (c) => c.labels[LABEL.service] === p.service && c.labels[LABEL.oneoff] !== 'True',
    );
    if (!present) {
      throw new EngineError(`cannot share ${p.what} with service ${p.service}: container missing`);
    }
  }
}
