// cmp's packet rules. Everything lives in one nftables table, `inet cmp`, regenerated from the state files
// and swapped in as one transaction, so rules can never drift from state and teardown is "render again".
// Docker coexistence: Docker's iptables FORWARD policy DROP (with br_netfilter, even for traffic inside one
// bridge) cannot be overridden from another table, so cmp adds ACCEPTs to DOCKER-USER (or FORWARD)
// when that policy is in force, tagged with a comment and removed with the network.
import { run, tryRun } from '../../../util/exec.js';
import { findExecutable } from '../../../util/which.js';
import type { NetworkRecord, PublishedRecord } from './state.js';

export const TABLE = 'cmp';
const COMMENT = 'cmp';

function q(name: string): string {
  return `"${name}"`;
}

function isAnyAddress(ip: string | undefined): boolean {
  return !ip || ip === '0.0.0.0' || ip === '::' || ip.includes(':');
}

/** The whole `inet cmp` table for these networks and ports; empty when there is nothing to filter. */
export function renderRuleset(networks: NetworkRecord[], ports: PublishedRecord[]): string {
  const forward: string[] = [];
  const post: string[] = [];
  const dnat: string[] = [];
  for (const n of networks) {
    const b = q(n.bridge);
    // Isolation: nothing crosses from one cmp network to another.
    forward.push(`iifname ${b} oifname "cmpb*" oifname != ${b} drop`);
    if (n.internal) {
      // Internal: no way out and no way in except from its own bridge.
      forward.push(`iifname ${b} oifname != ${b} drop`, `oifname ${b} iifname != ${b} drop`);
    } else {
      post.push(`ip saddr ${n.subnet} oifname != ${b} masquerade`);
    }
    // Localhost-published ports arrive with a 127/8 source the container could not answer; hairpin
    // traffic (a container to its own network's published port) needs the same.
    post.push(`oifname ${b} ip saddr 127.0.0.0/8 masquerade`);
    post.push(`oifname ${b} ip saddr ${n.subnet} ct status dnat masquerade`);
  }
  for (const p of ports) {
    const dst = isAnyAddress(p.hostIp) ? 'fib daddr type local' : `ip daddr ${p.hostIp}`;
    dnat.push(`${dst} ${p.protocol} dport ${p.hostPort} dnat ip to ${p.targetIp}:${p.containerPort}`);
  }
  if (networks.length === 0 && ports.length === 0) return '';
  const chain = (name: string, head: string, rules: string[]): string =>
    [`  chain ${name} {`, `    ${head}`, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
  return [
    `table inet ${TABLE} {`,
    chain('forward', 'type filter hook forward priority filter - 1; policy accept;', forward),
    chain('postrouting', 'type nat hook postrouting priority srcnat; policy accept;', post),
    chain('prerouting', 'type nat hook prerouting priority dstnat; policy accept;', dnat),
    // nft 1.0.6 does not accept the `dstnat` keyword on the output hook, hence the number.
    chain('output', 'type nat hook output priority -100; policy accept;', dnat),
    '}',
  ].join('\n');
}

export class Firewall {
  /** nft's path, found without running it (a network create waits); false when there is none. */
  private nft: string | false | undefined;
  private warned = false;

  constructor(
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`WARN ${m}\n`),
  ) {}

  /** Whether nft is usable; says once, when it is not, what that costs. */
  async available(): Promise<boolean> {
    if (this.nft === undefined) {
      this.nft = process.env.CMP_NO_NFT ? false : (findExecutable('nft') ?? false);
    }
    if (!this.nft && !this.warned) {
      this.warned = true;
      this.warn(
        'nft (nftables) not found: cmp networks are not isolated from each other, internal networks are not ' +
          'blocked from forwarding out, containers get no outbound NAT, and published ports are served by a ' +
          'userland proxy that lives only as long as the process that published them. Install nftables.',
      );
    }
    return this.nft !== false;
  }

  /** Replaces the table with the one these records describe, in one transaction. */
  async sync(networks: NetworkRecord[], ports: PublishedRecord[]): Promise<void> {
    // Independent tables: a network create waits for the slower of the two, not their sum.
    await Promise.all([this.syncDocker(networks), this.syncTable(networks, ports)]);
  }

  private async syncTable(networks: NetworkRecord[], ports: PublishedRecord[]): Promise<void> {
    if (!(await this.available()) || !this.nft) return;
    const nft = this.nft;
    const body = renderRuleset(networks, ports);
    // `table ...` first so the delete never fails on a missing table.
    const script = [`table inet ${TABLE} {}`, `delete table inet ${TABLE}`, body].filter(Boolean).join('\n');
    await run(nft, ['-f', '-'], { input: `${script}\n` });
  }

  private async syncDocker(networks: NetworkRecord[]): Promise<void> {
    const [user, fwd] = await Promise.all([
      tryRun('iptables', ['-S', 'DOCKER-USER']),
      tryRun('iptables', ['-S', 'FORWARD']),
    ]);
    const hasUserChain = user.exitCode === 0;
    if (fwd.exitCode !== 0) return;
    const dropPolicy = /^-P FORWARD DROP/m.test(fwd.stdout);
    const target = hasUserChain ? 'DOCKER-USER' : dropPolicy ? 'FORWARD' : undefined;
    const wanted = new Map<string, string[]>();
    if (target) {
      for (const n of networks) {
        const tag = ['-m', 'comment', '--comment', COMMENT, '-j', 'ACCEPT'];
        const rules = [
          ['-i', n.bridge, '-o', n.bridge, ...tag],
          ['-o', n.bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag],
        ];
        if (!n.internal) {
          rules.push(['-i', n.bridge, '!', '-o', n.bridge, ...tag]);
          rules.push(['-o', n.bridge, '-m', 'conntrack', '--ctstate', 'DNAT', ...tag]);
        }
        for (const r of rules) wanted.set(r.join(' '), r);
      }
    }
    const bridges = new Set(networks.map((n) => n.bridge));
    const listings: [string, string][] = hasUserChain
      ? [
          ['DOCKER-USER', user.stdout],
          ['FORWARD', fwd.stdout],
        ]
      : [['FORWARD', fwd.stdout]];
    for (const [chain, listing] of listings) {
      for (const line of listing.split('\n')) {
        if (!line.includes(`--comment ${COMMENT} `) || !line.startsWith(`-A ${chain} `)) continue;
        const dev = /-[io] (cmpb[0-9a-f]+)/.exec(line)?.[1];
        if (dev && bridges.has(dev) && chain === target) continue;
        await tryRun('iptables', ['-D', chain, ...line.split(' ').slice(2)]);
      }
    }
    if (!target) return;
    // `iptables -S` prints a rule exactly as these are written, so the listing says which are missing;
    // they all go in with one iptables-restore instead of a check and an insert each (a network create
    // waits for this).
    const present = new Set((target === 'DOCKER-USER' ? user.stdout : fwd.stdout).split('\n'));
    const missing = [...wanted.values()].filter((r) => !present.has(`-A ${target} ${r.join(' ')}`));
    if (missing.length === 0) return;
    const script = ['*filter', ...missing.map((r) => `-I ${target} ${r.join(' ')}`), 'COMMIT', ''];
    await run('iptables-restore', ['--noflush'], { input: script.join('\n') });
  }
}
