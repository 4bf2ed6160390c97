// cmp's packet rules. Everything lives in one nftables table per cmp instance (`inet cmp` for the default
// state root, `inet cmp_<tag>` for another; names.ts), regenerated from the state files and swapped in as one
// transaction, so rules can never drift from state, teardown is "render again", and one instance never
// touches another's table. Docker coexistence: Docker's iptables FORWARD policy DROP (with br_netfilter, even
// for traffic inside one bridge) cannot be overridden from another table, so cmp adds ACCEPTs to DOCKER-USER
// (or FORWARD) when that policy is in force, tagged with the instance's comment and removed with the network.
// Neither side's isolation is opened: traffic between a cmp bridge and a Docker bridge passes only when it
// is a reply or the DNAT of a port the receiving side publishes.
import { run, tryRun } from '../../../util/exec.js';
import { findExecutable } from '../../../util/which.js';
import { firewallComment, firewallTable } from './names.js';
import type { NetworkRecord, PublishedRecord } from './state.js';

/** Every cmp instance's bridges, whichever state root made them (names.ts). */
const ANY_CMP_BRIDGE = '"cmpb*"';
/** Docker's bridges as dockerd names them: the default one and user-defined networks (`br-<id>`). */
const DOCKER_BRIDGES = ['docker0', 'br-+'];
/** A packet that is neither a reply nor the DNAT of a published port. */
const UNSOLICITED = 'ct state & (established | related) == 0 ct status & dnat == 0';

function q(name: string): string {
  return `"${name}"`;
}

function isAnyAddress(ip: string | undefined): boolean {
  return !ip || ip === '0.0.0.0' || ip === '::' || ip.includes(':');
}

/** The whole table for these networks and ports; empty when there is nothing to filter. */
export function renderRuleset(
  networks: NetworkRecord[],
  ports: PublishedRecord[],
  table: string = firewallTable(),
): string {
  const forward: string[] = [];
  const inbound: string[] = [];
  const post: string[] = [];
  const dnat: string[] = [];
  for (const n of networks) {
    const b = q(n.bridge);
    // Isolation: nothing crosses from one cmp network to another but the ports a container publishes on
    // the host (reached through a host address, so DNATed) and their replies, as between Docker's networks.
    forward.push(`iifname ${b} oifname ${ANY_CMP_BRIDGE} oifname != ${b} ${UNSOLICITED} drop`);
    if (n.internal) {
      // Internal: no way out and no way in except from its own bridge.
      forward.push(`iifname ${b} oifname != ${b} drop`, `oifname ${b} iifname != ${b} drop`);
    } else {
      post.push(`ip saddr ${n.subnet} oifname != ${b} masquerade`);
      // From anywhere else (a Docker bridge, another host routed here) only replies and published ports:
      // Docker accepts everything leaving its bridges, so this is what keeps its containers off cmp's
      // unpublished ports.
      inbound.push(`oifname ${b} iifname != ${b} ${UNSOLICITED} drop`);
    }
    // Localhost-published ports arrive with a 127/8 source the container could not answer; hairpin
    // traffic (a container to its own network's published port) needs the same.
    post.push(`oifname ${b} ip saddr 127.0.0.0/8 masquerade`);
    post.push(`oifname ${b} ip saddr ${n.subnet} ct status dnat masquerade`);
  }
  // Into Docker's networks only what Docker publishes (its DNAT) and replies, as from any outside host.
  const toDocker = DOCKER_BRIDGES.map(
    (d) => `iifname ${ANY_CMP_BRIDGE} oifname "${d.replace('+', '*')}" ${UNSOLICITED} drop`,
  );
  for (const p of ports) {
    const dst = isAnyAddress(p.hostIp) ? 'fib daddr type local' : `ip daddr ${p.hostIp}`;
    dnat.push(`${dst} ${p.protocol} dport ${p.hostPort} dnat ip to ${p.targetIp}:${p.containerPort}`);
  }
  if (networks.length === 0 && ports.length === 0) return '';
  const chain = (name: string, head: string, rules: string[]): string =>
    [`  chain ${name} {`, `    ${head}`, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
  return [
    `table inet ${table} {`,
    // route_localnet (link.ts) lets the host's own 127.0.0.1 traffic be DNATed into a bridge; it would also
    // let a container reach the host's loopback services with a hand-made frame to the bridge's MAC. No
    // packet arriving from a bridge has a legitimate 127/8 destination (replies are still addressed to the
    // gateway here, before conntrack undoes the masquerade), so they all go, before routing and conntrack.
    chain('loopback_guard', 'type filter hook prerouting priority raw; policy accept;', [
      `iifname ${ANY_CMP_BRIDGE} ip daddr 127.0.0.0/8 drop`,
    ]),
    chain('forward', 'type filter hook forward priority filter - 1; policy accept;', [
      ...forward,
      ...toDocker,
      ...inbound,
    ]),
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
    const table = firewallTable();
    const body = renderRuleset(networks, ports, table);
    // `table ...` first so the delete never fails on a missing table.
    const script = [`table inet ${table} {}`, `delete table inet ${table}`, body].filter(Boolean).join('\n');
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
    const comment = firewallComment();
    const wanted = target ? dockerRules(networks, comment).map((r) => `-A ${target} ${r.join(' ')}`) : [];
    // Only rules with this instance's comment are its own: another state root's are never touched.
    const mine = (chain: string, listing: string): string[] =>
      listing.split('\n').filter((l) => l.startsWith(`-A ${chain} `) && l.includes(`--comment ${comment} `));
    const stale: string[] = [];
    const lists: [string, string][] = hasUserChain
      ? [
          ['DOCKER-USER', user.stdout],
          ['FORWARD', fwd.stdout],
        ]
      : [['FORWARD', fwd.stdout]];
    let current: string[] = [];
    for (const [chain, listing] of lists) {
      if (chain === target) current = mine(chain, listing);
      else stale.push(...mine(chain, listing));
    }
    // Order matters (the RETURNs to Docker's own chains come before the outbound ACCEPT), so unless the
    // rules are exactly as wanted they are all replaced, at the top of the chain, in one iptables-restore
    // (a network create waits for this). `iptables -S` prints a rule exactly as these are written.
    const same = current.length === wanted.length && current.every((l, i) => l === wanted[i]);
    if (same && stale.length === 0) return;
    const script = ['*filter'];
    for (const l of [...stale, ...(same ? [] : current)]) script.push(l.replace(/^-A /, '-D '));
    if (!same) wanted.forEach((l, i) => script.push(l.replace(/^-A (\S+) /, `-I $1 ${i + 1} `)));
    script.push('COMMIT', '');
    await run('iptables-restore', ['--noflush'], { input: script.join('\n') });
  }
}

/**
 * Rules for Docker's FORWARD chains, in order: traffic inside a bridge, replies, and for networks that lead
 * out, the way out and published ports in. Traffic into Docker's own bridges is handed back (RETURN) to
 * Docker's chains, which let through only what Docker publishes.
 */
function dockerRules(networks: NetworkRecord[], comment: string): string[][] {
  const tag = ['-m', 'comment', '--comment', comment];
  const rules: string[][] = [];
  for (const n of networks) {
    const b = n.bridge;
    rules.push(['-i', b, '-o', b, ...tag, '-j', 'ACCEPT']);
    rules.push(['-o', b, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag, '-j', 'ACCEPT']);
    if (n.internal) continue;
    for (const d of DOCKER_BRIDGES) rules.push(['-i', b, '-o', d, ...tag, '-j', 'RETURN']);
    rules.push(['-i', b, '!', '-o', b, ...tag, '-j', 'ACCEPT']);
    rules.push(['-o', b, '-m', 'conntrack', '--ctstate', 'DNAT', ...tag, '-j', 'ACCEPT']);
  }
  return rules;
}
