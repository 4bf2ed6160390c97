// The forwarder takes an upstream's reply only when it answers the question asked: junk, a reply with
// another id or another question, and datagrams from anywhere but the upstream are dropped, and the
// real answer that follows still gets through.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import dnsPacket from 'dns-packet';
import { forward } from '../../../src/runtime/embedded/net/dns/forward.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

function reply(id: number, name: string, ip: string): Buffer {
  return dnsPacket.encode({
    id,
    type: 'response',
    flags: dnsPacket.RECURSION_AVAILABLE,
    questions: [{ type: 'A', name }],
    answers: [{ type: 'A', name, ttl: 60, data: ip }],
  });
}

/** An upstream on loopback that first sends `before` (from itself and from a stranger), then the real answer. */
async function upstream(before: (q: dnsPacket.DecodedPacket) => Buffer[]): Promise<number> {
  const up = createSocket('udp4');
  const stranger = createSocket('udp4');
  sockets.push(up, stranger);
  up.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    for (const b of before(q)) {
      up.send(b, r.port, r.address);
      stranger.send(b, r.port, r.address);
    }
    up.send(reply(q.id ?? 0, q.questions?.[0]?.name ?? '', '192.0.2.10'), r.port, r.address);
  });
  await new Promise<void>((ok) => up.bind(0, '127.0.0.1', () => ok()));
  return up.address().port;
}

const query = dnsPacket.encode({
  id: 4242,
  type: 'query',
  flags: dnsPacket.RECURSION_DESIRED,
  questions: [{ type: 'A', name: 'victim.example.com' }],
});

const addressIn = (b: Buffer | undefined): unknown =>
  b ? (dnsPacket.decode(b).answers?.[0] as dnsPacket.StringAnswer | undefined)?.data : undefined;

describe('forward', () => {
  it('drops junk, wrong ids, wrong questions and strangers, and takes the real answer', async () => {
    const port = await upstream((q) => [
      Buffer.from('not dns at all'),
      reply((q.id ?? 0) ^ 1, 'victim.example.com', '192.0.2.66'),
      reply(q.id ?? 0, 'other.example.com', '192.0.2.66'),
      dnsPacket.encode({ id: q.id, type: 'query', questions: q.questions }),
    ]);
    const answer = await forward(query, [{ address: '127.0.0.1', port }], 2000);
    expect(addressIn(answer)).toBe('192.0.2.10');
  });

  it('takes a forged answer with the right id and question only from the upstream itself', async () => {
    // The stranger sends the perfect forgery: the connected socket never delivers it.
    const forger = createSocket('udp4');
    sockets.push(forger);
    const up = createSocket('udp4');
    sockets.push(up);
    let forged = 0;
    up.on('message', (msg, r) => {
      const q = dnsPacket.decode(msg);
      const fake = reply(q.id ?? 0, 'victim.example.com', '192.0.2.66');
      for (let i = 0; i < 20; i++) forger.send(fake, r.port, r.address, () => forged++);
      // The real answer comes late, after every forgery went out.
      setTimeout(() => up.send(reply(q.id ?? 0, 'victim.example.com', '192.0.2.10'), r.port, r.address), 300);
    });
    await new Promise<void>((ok) => up.bind(0, '127.0.0.1', () => ok()));
    const answer = await forward(query, [{ address: '127.0.0.1', port: up.address().port }], 2000);
    expect(forged).toBe(20);
    expect(addressIn(answer)).toBe('192.0.2.10');
  });
});
