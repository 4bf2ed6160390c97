// The contract between the embedded container executor and the embedded network layer.
// The executor asks for a sandbox (a network namespace) per container, hands its path to the OCI
// runtime, and attaches the sandbox to each of the container's networks.
import type {
  ContainerNetworkState,
  NetworkAttachRequest,
  NetworkCreateRequest,
  NetworkState,
  PublishedPort,
} from '../../types.js';
import type { PortConfig } from '../../../model/types.js';

export interface Sandbox {
  containerId: string;
  /** Path of the network namespace, e.g. /run/netns/cmp-<id>, given to the OCI runtime. */
  netnsPath: string;
}

export interface ResolverConfig {
  /** Name servers for the container's resolv.conf (the gateways of its networks' DNS servers). */
  nameservers: string[];
  search: string[];
  options: string[];
}

/** The service's `dns`, `dns_search` and `dns_opt`, as the model has them. */
export interface DnsOptions {
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
}

/** An attachment as made; `note` says when a remembered (sticky) address could not be given back. */
export interface AttachResult extends ContainerNetworkState {
  note?: string;
}

export interface NetworkBackend {
  createNetwork(req: NetworkCreateRequest): Promise<NetworkState>;
  removeNetwork(name: string): Promise<void>;
  listNetworks(project: string): Promise<NetworkState[]>;
  inspectNetwork(name: string): Promise<NetworkState | undefined>;

  /**
   * `attachments` is how many networks the caller attaches next: the first attachment makes the namespace
   * and brings its loopback up along with its own link, so only a sandbox with none needs a step for them.
   */
  createSandbox(containerId: string, opts?: { attachments: number }): Promise<Sandbox>;
  /** Connects the sandbox to a network: veth pair, address (sticky per container identity), DNS names. */
  attach(
    sandbox: Sandbox,
    req: NetworkAttachRequest,
    identity: { project: string; service: string; number: number },
  ): Promise<AttachResult>;
  detach(sandbox: Sandbox, network: string): Promise<void>;
  /** Detaches everything and deletes the namespace; safe to call on a half-made sandbox. */
  destroySandbox(containerId: string): Promise<void>;
  /**
   * Remakes what a host reboot took from a sandbox whose records survived (its namespace, its networks'
   * bridges, its veths with their addresses); nothing when its namespace is there. Optional for test doubles.
   */
  restoreSandbox?(containerId: string): Promise<void>;
  /**
   * Waits for work a call left running (createNetwork leaves the new network's firewall rules to finish
   * while containers are made) and throws its error. Container starts and the end of a command call it.
   */
  flush?(): Promise<void>;
  /**
   * Writes this instance's firewall again from its state, in the background (flush() waits): every `up`
   * re-asserts its rules, so a table or rule someone deleted comes back.
   */
  reassert?(): void;
  /**
   * Whether a network's or a sandbox's record is there ('ok'), was never made ('none'), or is gone while
   * what it described still exists on the host ('lost': a damaged file was moved aside). Optional for doubles.
   */
  recordState?(kind: 'network' | 'sandbox', name: string): Promise<'ok' | 'none' | 'lost'>;
  /** Where that record lives, for messages. */
  recordPath?(kind: 'network' | 'sandbox', name: string): string;
  /** What the container's /etc/resolv.conf should say. */
  resolverFor(containerId: string, opts?: DnsOptions): Promise<ResolverConfig>;
  /** Starts forwarding the service's published ports to the container; the result says what is bound. */
  publish(containerId: string, ports: PortConfig[]): Promise<PublishedPort[]>;
  unpublish(containerId: string): Promise<void>;
}
