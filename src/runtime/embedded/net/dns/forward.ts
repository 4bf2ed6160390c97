// Forwarding a query the embedded server cannot answer, each upstream in turn, each with a timeout.
// Every query gets its own UDP socket, connected to the upstream: the kernel picks a random source port
// and drops datagrams from any other address or port, so another container cannot answer in the
// upstream's place by sending to that port. What still arrives is taken only if it is a response with
// the query's id and question; anything else is dropped and the wait goes on.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import dnsPacket, { type DecodedPacket, type Question } from 'dns-packet';

export interface Upstream {
  address: string;
  port: number;
}

/** `1.2.3.4`, `1.2.3.4:5353` or `[::1]:53`. */
export function parseUpstream(text: string): Upstream | undefined {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6?.[1]) return { address: v6[1], port: Number(v6[2] ?? 53) };
  if (isIP(text)) return { address: text, port: 53 };
  const m = /^([^:]+):(\d+)$/.exec(text);
  if (m?.[1] && isIP(m[1])) return { address: m[1], port: Number(m[2]) };
  return undefined;
}

const sameQuestion = (a: Question | undefined, b: Question | undefined): boolean =>
  !!a &&
  !!b &&
  a.name.toLowerCase() === b.name.toLowerCase() &&
  a.type === b.type &&
  (a.class ?? 'IN') === (b.class ?? 'IN');

/** Whether `reply` answers `query`: a response with its id and its (single) question. */
export function answers(query: DecodedPacket, reply: Buffer): boolean {
  let r: DecodedPacket;
  try {
    r = dnsPacket.decode(reply);
  } catch {
    return false;
  }
  return (
    r.type === 'response' &&
    r.id === query.id &&
    r.questions?.length === 1 &&
    sameQuestion(r.questions[0], query.questions?.[0])
  );
}

function askOne(
  query: Buffer,
  decoded: DecodedPacket,
  up: Upstream,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  const sock = createSocket(isIP(up.address) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on('error', () => finish(undefined));
    sock.on('message', (msg) => {
      if (answers(decoded, msg)) finish(msg);
    });
    sock.connect(up.port, up.address, () => {
      if (!done) sock.send(query);
    });
  });
}

export async function forward(
  query: Buffer,
  upstreams: Upstream[],
  timeoutMs: number,
): Promise<Buffer | undefined> {
  let decoded: DecodedPacket;
  try {
    decoded = dnsPacket.decode(query);
  } catch {
    return undefined;
  }
  if (decoded.questions?.length !== 1) return undefined;
  for (const up of upstreams) {
    const answer = await askOne(query, decoded, up, timeoutMs);
    if (answer) return answer;
  }
  return undefined;
}
