// A userland port forwarder (docker-proxy style), used where nftables is missing. It lives in the process
// that starts it, so the long-lived supervisor is the right host; the app sees the proxy's address.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';

export interface ProxyRoute {
  hostIp: string;
  hostPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  targetIp: string;
  targetPort: number;
}

const UDP_IDLE_MS = 30_000;

export class PortProxy {
  private servers: Server[] = [];
  private udp: UdpSocket[] = [];
  private sessions = new Set<UdpSocket>();
  private streams = new Set<Socket>();

  constructor(readonly routes: ProxyRoute[]) {}

  async start(): Promise<void> {
    try {
      for (const r of this.routes) {
        if (r.protocol === 'udp') await this.startUdp(r);
        else await this.startTcp(r);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  private startTcp(r: ProxyRoute): Promise<void> {
    const srv = createServer((client) => {
      const up = connect(r.targetPort, r.targetIp);
      this.streams.add(client).add(up);
      client.pipe(up).pipe(client);
      const done = (): void => {
        client.destroy();
        up.destroy();
        this.streams.delete(client);
        this.streams.delete(up);
      };
      client.on('error', done).on('close', done);
      up.on('error', done).on('close', done);
    });
    this.servers.push(srv);
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ port: r.hostPort, host: r.hostIp, exclusive: true }, () => resolve());
    });
  }

  private startUdp(r: ProxyRoute): Promise<void> {
    const front = createSocket('udp4');
    const byClient = new Map<string, { sock: UdpSocket; timer: NodeJS.Timeout }>();
    front.on('message', (msg, from) => {
      const key = `${from.address}:${from.port}`;
      let s = byClient.get(key);
      if (!s) {
        const sock = createSocket('udp4');
        this.sessions.add(sock);
        sock.on('message', (reply) => front.send(reply, from.port, from.address));
        const entry = { sock, timer: setTimeout(() => undefined, 0) };
        byClient.set(key, entry);
        s = entry;
      }
      const entry = s;
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => {
        byClient.delete(key);
        this.sessions.delete(entry.sock);
        entry.sock.close();
      }, UDP_IDLE_MS);
      entry.timer.unref();
      entry.sock.send(msg, r.targetPort, r.targetIp);
    });
    this.udp.push(front);
    return new Promise((resolve, reject) => {
      front.once('error', reject);
      front.bind(r.hostPort, r.hostIp, () => resolve());
    });
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.destroy();
    this.streams.clear();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    for (const s of [...this.udp, ...this.sessions]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.servers = [];
    this.udp = [];
    this.sessions.clear();
  }
}
