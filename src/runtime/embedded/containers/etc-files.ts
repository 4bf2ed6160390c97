// The /etc/hosts, /etc/hostname and /etc/resolv.conf cmp writes per container and bind-mounts in.
import { readFileSync } from 'node:fs';
import type { ResolverConfig } from '../net/types.js';

export function hostsFile(hostname: string, addresses: string[], extraHosts: readonly string[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const ip of addresses) lines.push(`${ip}\t${hostname}`);
  for (const entry of extraHosts) {
    // Compose accepts `host:ip` and `host=ip`; an IPv6 address contains colons, so split on the first one.
    const m = /^([^:=]+)[:=](.+)$/.exec(entry.trim());
    if (m?.[1] && m[2]) lines.push(`${m[2].replace(/^\[|\]$/g, '')}\t${m[1]}`);
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
 * Service `dns*` settings win over the network layer's; with neither, the host's upstream servers are used
 * (loopback ones dropped: they mean nothing inside another network namespace).
 */
export function resolvConf(
  net: ResolverConfig,
  service: { dns?: string[]; dns_search?: string[]; dns_opt?: string[] },
): string {
  const servers = service.dns?.length
    ? service.dns
    : net.nameservers.length
      ? net.nameservers
      : hostNameservers();
  const search = service.dns_search?.length ? service.dns_search : net.search;
  const options = [...net.options, ...(service.dns_opt ?? [])];
  const lines = servers.map((s) => `nameserver ${s}`);
  if (search.length) lines.push(`search ${search.join(' ')}`);
  if (options.length) lines.push(`options ${[...new Set(options)].join(' ')}`);
  return lines.join('\n') + '\n';
}
