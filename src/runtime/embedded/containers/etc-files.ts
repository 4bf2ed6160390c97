// The /etc/hosts, /etc/hostname and /etc/resolv.conf cmp writes per container and bind-mounts in.
import { readFileSync } from 'node:fs';
import type { ResolverConfig } from '../net/types.js';

/** The `extra_hosts` value Docker replaces with the host's address as the container sees it. */
export const HOST_GATEWAY = 'host-gateway';

/** `extra_hosts` entries as (name, address); compose accepts `host:ip` and `host=ip`. */
export function extraHostEntries(extraHosts: readonly string[]): { name: string; address: string }[] {
  const out: { name: string; address: string }[] = [];
  for (const entry of extraHosts) {
    // An IPv6 address contains colons, so split on the first separator.
    const m = /^([^:=]+)[:=](.+)$/.exec(entry.trim());
    if (m?.[1] && m[2]) out.push({ name: m[1], address: m[2].replace(/^\[|\]$/g, '') });
  }
  return out;
}

/**
 * `hostGateway` stands in for `host-gateway`; without one (no network to reach the host through) such
 * entries are left out, since a name that does not resolve fails sooner and clearer than a dead address.
 */
export function hostsFile(
  hostname: string,
  addresses: string[],
  extraHosts: readonly string[],
  hostGateway?: string,
): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const ip of addresses) lines.push(`${ip}\t${hostname}`);
  for (const { name, address } of extraHostEntries(extraHosts)) {
    if (address !== HOST_GATEWAY) lines.push(`${address}\t${name}`);
    else if (hostGateway) lines.push(`${hostGateway}\t${name}`);
  }
  return lines.join('\n') + '\n';
}

function hostNameservers(): string[] {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((s): s is string => !!s && !s.startsWith('127.') && s !== '::1');
  } catch {
    return [];
  }
}

/**
 * The network layer's servers first: on a network they are its embedded DNS servers, which forward to the
 * service's `dns` (as Docker's do), so service names still resolve; without a network (host, none) they
 * already are the service's `dns`. With neither, the host's upstream servers are used (loopback ones
 * dropped: they mean nothing inside another network namespace). `dns_search` wins over the network layer's.
 */
export function resolvConf(
  net: ResolverConfig,
  service: { dns?: string[]; dns_search?: string[]; dns_opt?: string[] },
): string {
  const servers = net.nameservers.length
    ? net.nameservers
    : service.dns?.length
      ? service.dns
      : hostNameservers();
  const search = service.dns_search?.length ? service.dns_search : net.search;
  const options = [...net.options, ...(service.dns_opt ?? [])];
  const lines = servers.map((s) => `nameserver ${s}`);
  if (search.length) lines.push(`search ${search.join(' ')}`);
  if (options.length) lines.push(`options ${[...new Set(options)].join(' ')}`);
  return lines.join('\n') + '\n';
}
