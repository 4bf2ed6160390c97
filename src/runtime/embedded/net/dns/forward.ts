// Forwarding a query the embedded server cannot answer: one fresh UDP socket per query (so answers cannot
// be confused across askers), each upstream in turn, each with a timeout.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

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

function askOne(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  const sock = createSocket(isIP(up.address) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    const finish = (v: Buffer | undefined): void => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on('error', () => finish(undefined));
    sock.on('message', (msg) => finish(msg));
    sock.send(query, up.port, up.address);
  });
}

export async function forward(
  query: Buffer,
  upstreams: Upstream[],
  timeoutMs: number,
): Promise<Buffer | undefined> {
  for (const up of upstreams) {
    const answer = await askOne(query, up, timeoutMs);
    if (answer) return answer;
  }
  return undefined;
}
