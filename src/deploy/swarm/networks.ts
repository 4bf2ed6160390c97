// Compose networks as Swarm overlay networks (NetworkCreate with Driver "overlay").
import type { Network, Project } from '../../model/types.js';
import { resourceName, STACK_LABEL } from './names.js';
import type { NetworkSpec } from './types.js';

function ipamOf(n: Network): NetworkSpec['IPAM'] | undefined {
  if (!n.ipam) return undefined;
  const ipam: NonNullable<NetworkSpec['IPAM']> = {};
  if (n.ipam.driver) ipam.Driver = n.ipam.driver;
  if (n.ipam.options) ipam.Options = n.ipam.options;
  if (n.ipam.config?.length) {
    ipam.Config = n.ipam.config.map((c) => ({
      ...(c.subnet ? { Subnet: c.subnet } : {}),
      ...(c.ip_range ? { IPRange: c.ip_range } : {}),
      ...(c.gateway ? { Gateway: c.gateway } : {}),
      ...(c.aux_addresses ? { AuxiliaryAddresses: c.aux_addresses } : {}),
    }));
  }
  return ipam;
}

/** The networks services use: the stack's own to create, external ones only named. */
export function stackNetworks(
  project: Project,
  stack: string,
): { specs: NetworkSpec[]; external: string[]; names: Record<string, string> } {
  const used = new Set<string>();
  for (const s of Object.values(project.services)) for (const k of Object.keys(s.networks)) used.add(k);
  const specs: NetworkSpec[] = [];
  const external: string[] = [];
  const names: Record<string, string> = {};
  for (const key of [...used].sort()) {
    const n: Network = project.networks[key] ?? { name: `${project.name}_${key}` };
    const name = resourceName(stack, project.name, key, n);
    names[key] = name;
    if (n.external) {
      external.push(name);
      continue;
    }
    const spec: NetworkSpec = {
      Name: name,
      Driver: 'overlay',
      Attachable: n.attachable === true,
      Internal: n.internal === true,
      Labels: { ...n.labels, [STACK_LABEL.namespace]: stack },
    };
    if (n.driver_opts) spec.Options = n.driver_opts;
    if (n.enable_ipv6) spec.EnableIPv6 = true;
    const ipam = ipamOf(n);
    if (ipam) spec.IPAM = ipam;
    specs.push(spec);
  }
  return { specs, external, names };
}
