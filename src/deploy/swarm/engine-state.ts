// What a stack has on the engine now, found by the namespace label as `docker stack` finds it.
import type Dockerode from 'dockerode';
import { call } from '../../runtime/docker/errors.js';
import { STACK_LABEL } from './names.js';
import type { Labels, ServiceSpec } from './types.js';

export interface LiveService {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec;
}

export interface LiveObject {
  ID: string;
  Spec: { Name: string; Labels?: Labels };
}

export interface LiveNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Labels?: Labels;
}

const byStack = (stack: string): { filters: string } => ({
  filters: JSON.stringify({ label: [`${STACK_LABEL.namespace}=${stack}`] }),
});

export async function stackServices(docker: Dockerode, stack: string): Promise<LiveService[]> {
  return (await call('list services', () => docker.listServices(byStack(stack)))) as unknown as LiveService[];
}

export async function stackNetworksLive(docker: Dockerode, stack: string): Promise<LiveNetwork[]> {
  return (await call('list networks', () => docker.listNetworks(byStack(stack)))) as unknown as LiveNetwork[];
}

export async function stackObjects(
  docker: Dockerode,
  kind: 'config' | 'secret',
  stack: string,
): Promise<LiveObject[]> {
  const list =
    kind === 'config'
      ? await call('list configs', () => docker.listConfigs(byStack(stack)))
      : await call('list secrets', () => docker.listSecrets(byStack(stack)));
  return list as unknown as LiveObject[];
}

/** Objects of any stack, by exact name (the engine's name filter matches prefixes too). */
export async function objectByName(
  docker: Dockerode,
  kind: 'config' | 'secret',
  name: string,
): Promise<LiveObject | undefined> {
  const opts = { filters: JSON.stringify({ name: [name] }) };
  const list = (kind === 'config'
    ? await call('list configs', () => docker.listConfigs(opts))
    : await call('list secrets', () => docker.listSecrets(opts))) as unknown as LiveObject[];
  return list.find((o) => o.Spec.Name === name);
}

export async function networkByName(docker: Dockerode, name: string): Promise<LiveNetwork | undefined> {
  const list = (await call('list networks', () =>
    docker.listNetworks({ filters: JSON.stringify({ name: [name] }) }),
  )) as unknown as LiveNetwork[];
  return list.find((n) => n.Name === name);
}
