// `network_mode`: which sandbox a container runs in when it is not one of its own.
import { RuntimeError } from '../../../util/errors.js';
import { NetStateStore } from './state.js';

export type NetworkMode =
  | { kind: 'bridge' }
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'service'; service: string }
  | { kind: 'container'; container: string };

export function parseNetworkMode(mode: string | undefined): NetworkMode {
  if (mode === undefined || mode === '' || mode === 'bridge' || mode === 'default') return { kind: 'bridge' };
  if (mode === 'host') return { kind: 'host' };
  if (mode === 'none') return { kind: 'none' };
  if (mode.startsWith('service:')) return { kind: 'service', service: mode.slice('service:'.length) };
  if (mode.startsWith('container:')) return { kind: 'container', container: mode.slice('container:'.length) };
  throw new RuntimeError(`network_mode "${mode}" is not supported by the embedded runtime`, {
    hint: 'use host, none, service:NAME or container:NAME',
  });
}

/**
 * The namespace path of another container's sandbox, for `service:x` and `container:x`; the caller maps
 * x to a container id. Fails clearly when that container has no sandbox yet (it must start first).
 */
export async function sharedNetnsPath(containerId: string, store = new NetStateStore()): Promise<string> {
  const sb = await store.sandbox(containerId);
  if (!sb) {
    throw new RuntimeError(`container ${containerId} has no network namespace to share`, {
      hint: 'the container named in network_mode must be created first',
    });
  }
  return sb.netnsPath;
}
