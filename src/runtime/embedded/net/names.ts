// Host resource names. Linux caps interface names at 15 characters, so networks and attachments are
// named by a hash; the real names live in the state files. The prefixes are what leak checks look for.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_STATE_ROOT, stateRoot } from '../../../util/paths.js';

function hex10(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

/**
 * What sets this cmp instance's host-wide names apart from another instance's (another CMP_STATE_ROOT on
 * the same host, as test suites run): empty for the default state root, so its names stay as they were,
 * otherwise 8 hex digits of the state root's path. Two instances that each thought a name theirs would
 * delete each other's bridges and firewall rules.
 */
export function instanceTag(root: string = stateRoot()): string {
  const abs = resolve(root);
  return abs === DEFAULT_STATE_ROOT ? '' : createHash('sha256').update(abs).digest('hex').slice(0, 8);
}

export function bridgeName(network: string, tag: string = instanceTag()): string {
  return `cmpb${hex10(tag ? `${tag}\0${network}` : network)}`;
}

/** This instance's nftables table (family inet): `cmp` for the default state root, `cmp_<tag>` otherwise. */
export function firewallTable(tag: string = instanceTag()): string {
  return tag ? `cmp_${tag}` : 'cmp';
}

/** The comment on this instance's iptables rules in Docker's chains; only rules with it are its to remove. */
export function firewallComment(tag: string = instanceTag()): string {
  return tag ? `cmp-${tag}` : 'cmp';
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
