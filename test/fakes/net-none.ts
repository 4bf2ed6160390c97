// A NetworkBackend test double: each sandbox is an empty network namespace with only loopback up, so
// container tests run without the real bridge/veth/DNS layer. Networks are remembered in memory only.
import { run, tryRun } from '../../src/util/exec.js';
import type {
  ContainerNetworkState,
  NetworkAttachRequest,
  NetworkCreateRequest,
  NetworkState,
  PublishedPort,
} from '../../src/runtime/types.js';
import type { NetworkBackend, ResolverConfig, Sandbox } from '../../src/runtime/embedded/net/types.js';

export const netnsName = (containerId: string): string => `cmp-t${containerId.slice(0, 12)}`;

export class NetNone implements NetworkBackend {
  private readonly networks = new Map<string, NetworkState>();

  async createNetwork(req: NetworkCreateRequest): Promise<NetworkState> {
    const n: NetworkState = {
      id: req.name,
      name: req.name,
      labels: req.labels,
      driver: 'none',
      internal: true,
      subnets: [],
    };
    this.networks.set(req.name, n);
    return n;
  }
  async removeNetwork(name: string): Promise<void> {
    this.networks.delete(name);
  }
  async listNetworks(project: string): Promise<NetworkState[]> {
    return [...this.networks.values()].filter((n) => n.labels['com.docker.compose.project'] === project);
  }
  async inspectNetwork(name: string): Promise<NetworkState | undefined> {
    return this.networks.get(name);
  }
  async createSandbox(containerId: string): Promise<Sandbox> {
    const name = netnsName(containerId);
    await run('ip', ['netns', 'add', name]);
    await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return { containerId, netnsPath: `/run/netns/${name}` };
  }
  async attach(_s: Sandbox, req: NetworkAttachRequest): Promise<ContainerNetworkState> {
    return { network: req.network, aliases: req.aliases };
  }
  async detach(): Promise<void> {}
  async destroySandbox(containerId: string): Promise<void> {
    await tryRun('ip', ['netns', 'del', netnsName(containerId)]);
  }
  async resolverFor(): Promise<ResolverConfig> {
    return { nameservers: [], search: [], options: [] };
  }
  async publish(): Promise<PublishedPort[]> {
    return [];
  }
  async unpublish(): Promise<void> {}
}
