// Attacks on the embedded DNS server through the `cmp` binary. A container of another project floods
// forged replies at the port the victim's forwarded query is waiting on; the victim must still get the
// real answer. And the server must not answer the host or another project's container at all.
// The upstream is a fake resolver on an address of a bridge this test makes (never the outside).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { cmp, pollUntil, projectDir, type CmpResult } from './helpers.js';

const PROBES = join(import.meta.dirname, '../fixtures/dns');
const LINK = `dnsup${randomInt(0x10000).toString(16)}`;
const UPSTREAM = `198.18.${randomInt(1, 250)}.1`;
const REAL = '192.0.2.10';
const FORGED = '192.0.2.66';
const NAME = 'victim.example.com';

const exchange = mkdtempSync(join(tmpdir(), 'cmp-dns-spoof-'));
for (const f of ['udp-flood.mjs', 'udp-send.mjs']) copyFileSync(join(PROBES, f), join(exchange, f));

const victim = projectDir(`
services:
  victim:
    x-cmp: { host_rootfs: true }
    init: true
    dns: ['${UPSTREAM}']
    volumes: ['${exchange}:/x:ro']
    command: ['sleep', '1000']
`);
const attacker = projectDir(`
services:
  attacker:
    x-cmp: { host_rootfs: true }
    init: true
    volumes: ['${exchange}:/x']
    command: ['node', '/x/udp-flood.mjs', '/x']
`);
const inVictim = (cmd: string[]): Promise<CmpResult> =>
  cmp(['-p', victim.name, 'exec', '-T', 'victim', ...cmd], { cwd: victim.dir });
const inAttacker = (cmd: string[]): Promise<CmpResult> =>
  cmp(['-p', attacker.name, 'exec', '-T', 'attacker', ...cmd], { cwd: attacker.dir });

let upstream: Socket;
let attacked = 0;

function reply(q: dnsPacket.DecodedPacket, ip?: string, id = q.id): Buffer {
  const question = q.questions?.[0];
  return dnsPacket.encode({
    id,
    type: 'response',
    flags: dnsPacket.RECURSION_AVAILABLE,
    questions: q.questions,
    answers: ip && question ? [{ type: 'A', name: question.name, ttl: 60, data: ip }] : [],
  });
}

/**
 * The fake upstream. On the victim's A query it tells the attacker the port and id that query came
 * from (what an attacker scanning /proc/net/udp or guessing would need), waits until every forgery has
 * been sent, and only then gives the real answer.
 */
async function startUpstream(): Promise<void> {
  upstream = createSocket('udp4');
  upstream.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    if (question?.type !== 'A' || question.name !== NAME || attacked > 0) {
      upstream.send(reply(q, question?.type === 'A' ? REAL : undefined), r.port, r.address);
      return;
    }
    attacked++;
    const go = {
      host: UPSTREAM,
      port: r.port,
      rounds: 50,
      payloads: [reply(q, FORGED), Buffer.from('junk'), reply(q, FORGED, (q.id ?? 0) ^ 0x55)].map((b) =>
        b.toString('hex'),
      ),
    };
    writeFileSync(join(exchange, 'go.tmp'), JSON.stringify(go));
    renameSync(join(exchange, 'go.tmp'), join(exchange, 'go'));
    const answerWhenDone = (): void => {
      if (existsSync(join(exchange, 'done'))) upstream.send(reply(q, REAL), r.port, r.address);
      else setTimeout(answerWhenDone, 10);
    };
    answerWhenDone();
  });
  await new Promise<void>((ok) => upstream.bind(53, UPSTREAM, () => ok()));
}

beforeAll(async () => {
  execFileSync('ip', ['link', 'add', LINK, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `${UPSTREAM}/32`, 'dev', LINK]);
  execFileSync('ip', ['link', 'set', LINK, 'up']);
  await startUpstream();
  for (const p of [victim, attacker]) {
    const up = await cmp(['-p', p.name, 'up', '-d'], { cwd: p.dir });
    expect(up.code, up.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  for (const p of [victim, attacker]) await cmp(['-p', p.name, 'down', '-t', '1'], { cwd: p.dir });
  upstream?.close();
  spawnSync('ip', ['link', 'del', LINK]);
  await assertNoLeaks();
}, 120_000);

describe('the embedded DNS server under attack', () => {
  it('answers neither the host nor another project container, only its own network containers', async () => {
    const resolvConf = await inVictim(['cat', '/etc/resolv.conf']);
    const gateway = /^nameserver\s+([\d.]+)/m.exec(resolvConf.stdout)?.[1] ?? '';
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const query = dnsPacket
      .encode({
        type: 'query',
        id: 7,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type: 'A', name: 'victim' }],
      })
      .toString('hex');
    const ask = ['node', '/x/udp-send.mjs', gateway, '53', query, '1500'];
    // The victim's own container is answered (the probe is the same for all three askers), once the
    // project's supervisor serves the network.
    const own = await pollUntil('the victim to be answered', async () => {
      const r = await inVictim(ask);
      return r.code === 0 ? r.stdout : undefined;
    });
    expect(dnsPacket.decode(Buffer.from(own, 'hex')).answers).toHaveLength(1);
    // Another project's container gets nothing: before, it was answered as an asker on that network.
    const foreign = await inAttacker(ask);
    expect([foreign.code, foreign.stdout]).toEqual([3, '']);
    // Nor does the host.
    const host = spawnSync(process.execPath, [join(PROBES, 'udp-send.mjs'), gateway, '53', query, '1500'], {
      encoding: 'utf8',
    });
    expect([host.status, host.stdout]).toEqual([3, '']);
  }, 60_000);

  it('keeps forged replies from another project container out of a forwarded answer', async () => {
    const r = await inVictim(['busybox', 'nslookup', NAME]);
    // The attack did run: the port and id were handed over and every forgery went out.
    expect(attacked).toBe(1);
    expect(readFileSync(join(exchange, 'done'), 'utf8')).toBe('150');
    expect(r.stdout).not.toContain(FORGED);
    expect(r.stdout).toContain(REAL);
  }, 60_000);
});
