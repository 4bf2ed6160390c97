// Removes a stack: services first, then (once their tasks are gone) networks, configs and secrets, all
// found by the namespace label. Volumes stay, as with `docker stack rm`: they hold data.
import type Dockerode from 'dockerode';
import { call } from '../../runtime/docker/errors.js';
import { stackNetworksLive, stackObjects, stackServices } from './engine-state.js';
import { removeWithRetry } from './remove.js';

const NETWORK_GONE_MS = 60_000;

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
  return done();
}

export interface UndeployResult {
  removed: string[];
}

export async function undeployStack(
  docker: Dockerode,
  stack: string,
  log: (line: string) => void,
): Promise<UndeployResult> {
  const removed: string[] = [];
  for (const s of await stackServices(docker, stack)) {
    log(`Removing service ${s.Spec.Name}`);
    await call(`remove service ${s.Spec.Name}`, () => docker.getService(s.ID).remove());
    removed.push(`service ${s.Spec.Name}`);
  }
  for (const kind of ['secret', 'config'] as const) {
    for (const o of await stackObjects(docker, kind, stack)) {
      log(`Removing ${kind} ${o.Spec.Name}`);
      await removeWithRetry(`remove ${kind} ${o.Spec.Name}`, () =>
        kind === 'config' ? docker.getConfig(o.ID).remove() : docker.getSecret(o.ID).remove(),
      );
      removed.push(`${kind} ${o.Spec.Name}`);
    }
  }
  for (const n of await stackNetworksLive(docker, stack)) {
    log(`Removing network ${n.Name}`);
    await removeWithRetry(`remove network ${n.Name}`, () => docker.getNetwork(n.Id).remove());
    removed.push(`network ${n.Name}`);
  }
  // a removed overlay network lingers on the node until its last task's endpoint is torn down; the stack
  // is gone only once the node stops listing it
  await waitUntil(async () => (await stackNetworksLive(docker, stack)).length === 0, NETWORK_GONE_MS);
  if (removed.length === 0) log(`Nothing found in stack ${stack}`);
  return { removed };
}
