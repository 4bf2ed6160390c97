// Networks with the labels docker compose writes, so either tool recognises the other's.
import type Dockerode from 'dockerode';
import { VERSION } from '../../version.js';
import { RuntimeError } from '../../util/errors.js';
import { LABEL, type NetworkCreateRequest, type NetworkState } from '../types.js';
import { call, callOrMissing, engineError, isNotFound } from './errors.js';

export function projectFilter(project: string): { label: string[] } {
  return { label: [`${LABEL.project}=${project}`] };
}

export function toNetworkState(n: Dockerode.NetworkInspectInfo): NetworkState {
  return {
    id: n.Id,
    name: n.Name,
    labels: n.Labels ?? {},
    driver: n.Driver,
    internal: n.Internal ?? false,
    subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => typeof s === 'string'),
  };
}

export function networkCreateBody(req: NetworkCreateRequest): Dockerode.NetworkCreateOptions {
  const c = req.config;
  const body: Dockerode.NetworkCreateOptions = {
    Name: req.name,
    CheckDuplicate: true,
    Driver: c.driver ?? 'bridge',
    Labels: {
      ...(c.labels ?? {}),
      [LABEL.version]: VERSION,
      ...req.labels,
      [LABEL.project]: req.project,
      [LABEL.network]: req.key,
    },
  };
  if (c.driver_opts) body.Options = c.driver_opts;
  if (c.internal) body.Internal = true;
  if (c.attachable) body.Attachable = true;
  if (c.enable_ipv6) body.EnableIPv6 = true;
  if (c.ipam) {
    body.IPAM = {
      Driver: c.ipam.driver ?? 'default',
      Config: (c.ipam.config ?? []).map((p) => {
        const out: Record<string, string | Record<string, string>> = {};
        if (p.subnet) out.Subnet = p.subnet;
        if (p.ip_range) out.IPRange = p.ip_range;
        if (p.gateway) out.Gateway = p.gateway;
        if (p.aux_addresses) out.AuxiliaryAddresses = p.aux_addresses;
        return out;
      }),
      ...(c.ipam.options ? { Options: c.ipam.options } : {}),
    } as Dockerode.IPAM;
  }
  return body;
}

export async function inspectNetwork(docker: Dockerode, name: string): Promise<NetworkState | undefined> {
  const n = await callOrMissing(`inspect network ${name}`, () => docker.getNetwork(name).inspect());
  return n ? toNetworkState(n as Dockerode.NetworkInspectInfo) : undefined;
}

export async function listNetworks(docker: Dockerode, project: string): Promise<NetworkState[]> {
  const list = await call('list networks', () => docker.listNetworks({ filters: projectFilter(project) }));
  return list.map(toNetworkState);
}

export async function createNetwork(docker: Dockerode, req: NetworkCreateRequest): Promise<NetworkState> {
  if (req.config.external) {
    const have = await inspectNetwork(docker, req.name);
    if (!have) {
      throw new RuntimeError(`network ${req.name} declared as external, but could not be found`, {
        hint: `create it first: docker network create ${req.name}`,
      });
    }
    return have;
  }
  await call(`create network ${req.name}`, () => docker.createNetwork(networkCreateBody(req)));
  const made = await inspectNetwork(docker, req.name);
  if (!made) throw new RuntimeError(`docker: network ${req.name} was created but cannot be found`);
  return made;
}

export async function removeNetwork(docker: Dockerode, name: string): Promise<void> {
  try {
    await docker.getNetwork(name).remove();
  } catch (e) {
    if (!isNotFound(e)) throw engineError(`remove network ${name}`, e);
  }
}
