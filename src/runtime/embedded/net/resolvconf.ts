// Reading the host's /etc/resolv.conf: upstreams for the DNS forwarder and defaults for containers.
import { readFileSync } from 'node:fs';

export interface HostResolv {
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): HostResolv {
  const out: HostResolv = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...rest] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

export function hostResolv(path = '/etc/resolv.conf'): HostResolv {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return { nameservers: [], search: [], options: [] };
  }
}
