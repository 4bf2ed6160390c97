// What a cmp test may leave behind: nothing. Every integration/e2e test calls assertNoLeaks() after
// itself; it lists whatever cmp-named host resource still exists so the failure says what leaked.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tryRun } from '../../src/util/exec.js';
import { runRoot, stateRoot } from '../../src/util/paths.js';
import { firewallComment, firewallTable } from '../../src/runtime/embedded/net/names.js';

async function leaks(): Promise<string[]> {
  const found: string[] = [];
  const roots = [stateRoot(), runRoot()];
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const target = line.split(' ')[1] ?? '';
    if (roots.some((r) => target === r || target.startsWith(`${r}/`))) found.push(`mount ${target}`);
  }
  const links = await tryRun('ip', ['-o', 'link']);
  for (const l of links.stdout.split('\n')) {
    const name = /^\d+:\s+([^:@]+)/.exec(l)?.[1];
    if (name && /^cmp[bv][0-9a-f]/.test(name)) found.push(`link ${name}`);
  }
  // cmp drops its nftables table with its last network, and its tagged ACCEPTs in Docker's chains; both are
  // named per state root, so another instance's (another suite's) are not this test's leaks.
  const table = firewallTable();
  if ((await tryRun('nft', ['list', 'table', 'inet', table])).exitCode === 0)
    found.push(`nft table inet ${table}`);
  for (const chain of ['FORWARD', 'DOCKER-USER']) {
    const rules = await tryRun('iptables', ['-S', chain]);
    const tag = `--comment ${firewallComment()} `;
    for (const r of rules.stdout.split('\n')) if (r.includes(tag)) found.push(`iptables ${r}`);
  }
  const ns = await tryRun('ip', ['netns', 'list']);
  for (const l of ns.stdout.split('\n')) {
    const name = l.split(' ')[0];
    if (name?.startsWith('cmp-')) found.push(`netns ${name}`);
  }
  let controllers: string[];
  try {
    controllers = readdirSync('/sys/fs/cgroup');
  } catch {
    controllers = [];
  }
  for (const c of controllers) {
    let children: string[];
    try {
      children = readdirSync(join('/sys/fs/cgroup', c, 'cmp'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      children = [];
    }
    for (const ch of children) found.push(`cgroup ${c}/cmp/${ch}`);
  }
  const bundles = join(runRoot(), 'containers');
  try {
    for (const b of readdirSync(bundles)) found.push(`bundle ${join(bundles, b)}`);
  } catch {
    // no bundle dir at all
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd: string;
    let state: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
    } catch {
      continue;
    }
    // Zombies are already gone in all but name (conmon's first fork waits for PID 1 to reap it).
    if (state === 'Z') continue;
    const mine =
      roots.some((r) => cmd.includes(r)) || cmd.includes('/run/cmp') || cmd.includes('/var/lib/cmp');
    if (mine && /(^|\/)(runc|conmon|tini-static|docker-init)\b/.test(cmd))
      found.push(`process ${pid}: ${cmd.trim()}`);
    // A project's supervisor must exit by itself once its project has no containers.
    // Both layouts: tsc's output (integration tests) and the bundle the `cmp` command runs.
    if (/runtime\/embedded\/supervisor\/main\.js|dist\/bin\/supervisor\.js/.test(cmd))
      found.push(`supervisor ${pid}: ${cmd.trim()}`);
    // So must a detached watcher (`up -d --watch`) once its project is down.
    if (/watch\/daemon\.js|dist\/bin\/watcher\.js/.test(cmd)) found.push(`watcher ${pid}: ${cmd.trim()}`);
  }
  return found;
}

export async function assertNoLeaks(): Promise<void> {
  const found = await leaks();
  if (found.length > 0) throw new Error(`cmp left host resources behind:\n  ${found.join('\n  ')}`);
}
