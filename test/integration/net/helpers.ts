// Shared pieces of the network integration tests: plain busybox processes inside the namespaces the
// backend makes stand in for containers (the container executor is separate).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { tryRun } from '../../../src/util/exec.js';
import type { NetworkCreateRequest } from '../../../src/runtime/types.js';
import type { Network } from '../../../src/model/types.js';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function netReq(
  project: string,
  key: string,
  config: Partial<Network> = {},
  reservedAddresses?: string[],
): NetworkCreateRequest {
  const name = `${project}_${key}`;
  return { name, key, project, labels: {}, config: { name, ...config }, reservedAddresses };
}

export async function inNs(
  ns: string,
  cmd: string[],
  timeoutMs = 10_000,
): Promise<{ code: number; out: string }> {
  const r = await tryRun('ip', ['netns', 'exec', ns, ...cmd], { timeout: timeoutMs });
  return { code: r.exitCode, out: `${r.stdout}\n${r.stderr}` };
}

/** busybox nslookup inside the namespace; the A addresses it printed (empty on NXDOMAIN). */
export async function nslookup(
  ns: string,
  name: string,
  server: string,
): Promise<{ ips: string[]; out: string }> {
  const r = await inNs(ns, ['busybox', 'nslookup', '-type=a', name, server]);
  const answer = r.out
    .split(/Name:\s/)
    .slice(1)
    .join('\n');
  const ips = [...answer.matchAll(/Address:\s*([0-9.]+)/g)].map((m) => m[1] ?? '');
  return { ips, out: r.out };
}

/** busybox wget, bounded by coreutils timeout: busybox 1.35's own `wget -T` crashes. */
export async function wget(ns: string, url: string): Promise<{ code: number; out: string }> {
  return inNs(ns, ['timeout', '3', 'busybox', 'wget', '-q', '-O', '-', url], 8_000);
}

const children = new Set<ChildProcess>();

/** busybox httpd in the namespace, serving `body` at /, until stopChildren(). */
export async function httpd(ns: string, body: string, port = 8080): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cmp-net-www-'));
  await writeFile(join(dir, 'index.html'), body);
  const child = spawn('ip', ['netns', 'exec', ns, 'busybox', 'httpd', '-f', '-p', String(port), '-h', dir], {
    stdio: 'ignore',
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  await poll(
    async () =>
      (await inNs(ns, ['busybox', 'wget', '-q', '-O', '-', `http://127.0.0.1:${port}/`])).code === 0,
  );
}

export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

export async function poll(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One UDP DNS query from the host; the A answers in order, and the rcode. */
export async function queryA(
  server: string,
  name: string,
  ns?: string,
): Promise<{ ips: string[]; rcode: string }> {
  const r = await queryDns(server, name, 'A', ns);
  return { ips: r.answers.filter((a) => a.type === 'A').map((a) => a.data), rcode: r.rcode };
}

const UDP_SEND = join(import.meta.dirname, '../../fixtures/dns/udp-send.mjs');

/**
 * One UDP query, from inside namespace `ns` (the server answers only its network's containers) or, without
 * one, from the host; the answers' record data as text, or undefined when nothing answers in `waitMs`.
 */
export async function sendQuery(
  server: string,
  name: string,
  type: 'A' | 'PTR',
  ns?: string,
  waitMs = 3000,
): Promise<{ answers: { type: string; data: string }[]; rcode: string } | undefined> {
  const query = dnsPacket.encode({
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name }],
  });
  const cmd = [process.execPath, UDP_SEND, server, '53', query.toString('hex'), String(waitMs)];
  const r = ns
    ? await tryRun('ip', ['netns', 'exec', ns, ...cmd], { timeout: waitMs + 5000 })
    : await tryRun(cmd[0] ?? '', cmd.slice(1), { timeout: waitMs + 5000 });
  if (r.exitCode !== 0 || r.stdout === '') return undefined;
  const p = dnsPacket.decode(Buffer.from(r.stdout, 'hex')) as dnsPacket.DecodedPacket & { rcode?: string };
  const answers = (p.answers ?? []).map((a) => ({
    type: a.type,
    data: String((a as dnsPacket.StringAnswer).data),
  }));
  return { answers, rcode: p.rcode ?? '' };
}

/** `sendQuery` that must be answered. */
export async function queryDns(
  server: string,
  name: string,
  type: 'A' | 'PTR',
  ns?: string,
): Promise<{ answers: { type: string; data: string }[]; rcode: string }> {
  const r = await sendQuery(server, name, type, ns);
  if (!r) throw new Error(`no DNS answer from ${server}`);
  return r;
}

/** A fake upstream resolver on loopback: every A query gets 198.51.100.7, so forwarding never leaves the host. */
export async function fakeUpstream(): Promise<{ port: number; close: () => void }> {
  const sock = createSocket('udp4');
  sock.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    const answers = (q.questions ?? [])
      .filter((x) => x.type === 'A')
      .map((x) => ({ type: 'A' as const, name: x.name, ttl: 60, data: '198.51.100.7' }));
    sock.send(
      dnsPacket.encode({
        id: q.id,
        type: 'response',
        flags: dnsPacket.RECURSION_AVAILABLE,
        questions: q.questions,
        answers,
      }),
      r.port,
      r.address,
    );
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  return { port: sock.address().port, close: () => sock.close() };
}
