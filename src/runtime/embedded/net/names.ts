// Host resource names. Linux caps interface names at 15 characters, so networks and attachments are
// named by a hash; the real names live in the state files. The prefixes are what leak checks look for.
import { createHash } from 'node:crypto';

function hex10(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

export function bridgeName(network: string): string {
  return `cmpb${hex10(network)}`;
}

export function hostVethName(containerId: string, network: string): string {
  return `cmpv${hex10(`${containerId}\0${network}`)}`;
}

export function netnsName(containerId: string): string {
  // Ids are 64 hex digits; anything else is hashed so two names never share a 12-character prefix.
  const id = /^[0-9a-f]{12,}$/.test(containerId)
    ? containerId.slice(0, 12)
    : createHash('sha256').update(containerId).digest('hex').slice(0, 12);
  return `cmp-${id}`;
}

export function netnsPath(containerId: string): string {
  return `/run/netns/${netnsName(containerId)}`;
}

/** A short id for a network, shown where Docker shows one. */
export function networkId(network: string, createdAt: number): string {
  return createHash('sha256').update(`${network}\0${createdAt}`).digest('hex');
}

/** File-system safe form of a network or container name (network names may hold characters like `/`). */
export function fileKey(name: string): string {
  return encodeURIComponent(name).replace(/\./g, '%2E');
}
