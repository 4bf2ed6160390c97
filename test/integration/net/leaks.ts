// The firewall part of the leak check (test/setup/leaks.ts covers links, namespaces, mounts,
// processes): compared with a snapshot from before the suite, so only what this suite left counts.
import { tryRun } from '../../../src/util/exec.js';
import { firewallComment, firewallTable } from '../../../src/runtime/embedded/net/names.js';

export interface FirewallSnapshot {
  nftTable: boolean;
  iptables: string[];
}

export async function firewallSnapshot(): Promise<FirewallSnapshot> {
  const nftTable = (await tryRun('nft', ['list', 'table', 'inet', firewallTable()])).exitCode === 0;
  const lists = await Promise.all(['FORWARD', 'DOCKER-USER'].map((c) => tryRun('iptables', ['-S', c])));
  const iptables = lists.flatMap((r) =>
    r.stdout.split('\n').filter((l) => l.includes(`--comment ${firewallComment()} `)),
  );
  return { nftTable, iptables };
}

export async function firewallLeaksSince(before: FirewallSnapshot): Promise<string[]> {
  const now = await firewallSnapshot();
  const out: string[] = [];
  if (now.nftTable && !before.nftTable) out.push(`nft table inet ${firewallTable()}`);
  for (const r of now.iptables) if (!before.iptables.includes(r)) out.push(`iptables ${r}`);
  return out;
}
