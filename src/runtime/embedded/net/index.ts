// The embedded network layer's public surface, for the container executor and the supervisor.
export { LinuxNetworks, type LinuxNetworksOptions } from './manager.js';
export { DnsServer, type DnsServerOptions } from './dns/server.js';
export { PortProxy, type ProxyRoute } from './proxy.js';
export { checkPortsFree } from './ports.js';
export { parseNetworkMode, sharedNetnsPath, type NetworkMode } from './modes.js';
export type * from './types.js';
