// The embedded DNS server, aardvark-dns style: a UDP and a TCP socket on each cmp bridge's gateway
// address, answering only the containers attached to that network (anyone else gets silence), with
// names scoped to the asker's networks, and forwarding the rest.
// It is hosted by a long-lived process and follows the state files: networks that appear get sockets,
// networks that go lose them, and names are re-read whenever the state directory changes.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';
import { NetStateStore } from '../state.js';
import { hostResolv } from '../resolvconf.js';
import {
  buildIndex,
  isMember,
  lookup,
  lookupReverse,
  reverseAddress,
  scopeOf,
  type DnsIndex,
} from './records.js';
import { forward, parseUpstream, type Upstream } from './forward.js';

export interface DnsServerOptions {
  store?: NetStateStore;
  /** Where unknown names go; defaults to the host's /etc/resolv.conf name servers. */
  upstreams?: Upstream[];
  resolvConf?: string;
  /** Seconds; kept short so a recreated container is found at its new address at once. */
  ttl?: number;
  forwardTimeoutMs?: number;
  port?: number;
  /** How often to look for added or removed networks when no file event arrives. */
  pollMs?: number;
  log?: (line: string) => void;
  /**
   * Serve only this project's networks (and networks of no project, e.g. `cmp network create`): each
   * project's supervisor hosts its own resolvers, so two supervisors never fight over one gateway.
   */
  project?: string;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

interface Listener {
  network: string;
  udp: UdpSocket;
  tcp: Server;
}

export class DnsServer {
  private readonly store: NetStateStore;
  private readonly ttl: number;
  private readonly port: number;
  private readonly timeoutMs: number;
  private index: DnsIndex = buildIndex([], []);
  private projectOf = new Map<string, string>();
  private indexStamp = -1;
  private loadSeq = 0;
  private appliedSeq = 0;
  private listeners = new Map<string, Listener>();
  private connections = new Set<Socket>();
  private rotation = new Map<string, number>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private again = false;
  private running = false;

  constructor(private readonly opts: DnsServerOptions = {}) {
    this.store = opts.store ?? new NetStateStore();
    this.ttl = Math.max(0, Math.min(opts.ttl ?? 2, 5));
    this.port = opts.port ?? 53;
    this.timeoutMs = opts.forwardTimeoutMs ?? 2000;
  }

  /** Gateways currently served. */
  get addresses(): string[] {
    return [...this.listeners.keys()];
  }

  async start(): Promise<void> {
    this.running = true;
    await mkdir(this.store.dir, { recursive: true });
    this.watcher = watch(this.store.dir, () => void this.refresh());
    this.watcher.on('error', () => undefined);
    this.timer = setInterval(() => void this.refresh(), this.opts.pollMs ?? 1000);
    this.timer.unref();
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    for (const gw of [...this.listeners.keys()]) await this.close(gw);
    for (const c of this.connections) c.destroy();
    this.connections.clear();
  }

  /** Which of these gateways the server listens on now. */
  serving(gateways: readonly string[]): string[] {
    return gateways.filter((g) => this.listeners.has(g));
  }

  /** Re-reads state and opens or closes sockets to match; coalesces calls that arrive while it runs. */
  refresh(): Promise<void> {
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        await this.reconcile().catch((e: unknown) => this.opts.log?.(`dns: ${String(e)}`));
      } while (this.again && this.running);
    })().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async reconcile(): Promise<void> {
    // Only the networks decide which sockets are open. The index that answers queries is rebuilt by the
    // next query that finds the directory changed: an `up` rewrites these files dozens of times, and
    // reading every sandbox record at each write was most of the supervisor's work while it ran.
    const networks = await this.store.networks();
    if (!this.running) return;
    this.projectOf = new Map(networks.map((n) => [n.name, n.project]));
    const gateways = new Map(networks.map((n) => [n.gateway, n.name]));
    const mine = (network: string): boolean => {
      const owner = this.projectOf.get(network);
      return this.opts.project === undefined || !owner || owner === this.opts.project;
    };
    for (const [gw, l] of [...this.listeners]) {
      if (!gateways.has(gw) || !mine(l.network)) await this.close(gw);
    }
    for (const [gw, network] of gateways) {
      if (!mine(network)) continue;
      const l = this.listeners.get(gw);
      if (l) l.network = network;
      // The bridge may not carry its address yet; the next refresh tries again.
      else
        await this.open(gw, network).catch((e: unknown) =>
          this.opts.log?.(`dns: ${gw}:${this.port}: ${String(e)}`),
        );
    }
  }

  /**
   * Cheap per-query freshness check: the directory's mtime changes on every atomic rename into it. Its
   * clock is coarse (a few ms), so a stamp from the last moments is not trusted (a write in the same tick
   * would go unseen), and a slow read never replaces the result of one that started later.
   */
  private async reload(): Promise<DnsIndex> {
    const startedAt = Date.now();
    const st = await stat(this.store.dir).catch(() => undefined);
    const stamp = st?.mtimeMs ?? 0;
    if (stamp === this.indexStamp) return this.index;
    const seq = ++this.loadSeq;
    const [networks, sandboxes] = await Promise.all([this.store.networks(), this.store.sandboxes()]);
    if (seq > this.appliedSeq) {
      this.appliedSeq = seq;
      this.index = buildIndex(networks, sandboxes);
      this.projectOf = new Map(networks.map((n) => [n.name, n.project]));
      this.indexStamp = stamp < startedAt - 50 ? stamp : -1;
    }
    return this.index;
  }

  private async open(gw: string, network: string): Promise<void> {
    const udp = createSocket({ type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.port, gw, () => {
        udp.off('error', reject);
        resolve();
      });
    }).catch((e: unknown) => {
      udp.close();
      throw e;
    });
    udp.on('error', (e) => this.opts.log?.(`dns: ${gw}: ${e.message}`));
    const tcp = createServer((conn) => this.serveTcp(conn, gw));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen({ port: this.port, host: gw, exclusive: true }, () => {
        tcp.off('error', reject);
        resolve();
      });
    }).catch((e: unknown) => {
      udp.close();
      throw e;
    });
    const listener: Listener = { network, udp, tcp };
    udp.on('message', (msg, rinfo) => {
      void this.answer(msg, rinfo.address, listener.network).then((reply) => {
        if (reply) udp.send(reply, rinfo.port, rinfo.address);
      });
    });
    this.listeners.set(gw, listener);
    this.opts.log?.(`dns: listening on ${gw}:${this.port} for ${network}`);
  }

  private async close(gw: string): Promise<void> {
    const l = this.listeners.get(gw);
    this.listeners.delete(gw);
    if (!l) return;
    l.udp.close();
    await new Promise<void>((r) => l.tcp.close(() => r()));
  }

  private serveTcp(conn: Socket, gw: string): void {
    this.connections.add(conn);
    let buf = Buffer.alloc(0);
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const network = this.listeners.get(gw)?.network ?? '';
        void this.answer(Buffer.from(msg), conn.remoteAddress ?? '', network).then((reply) => {
          if (!reply || conn.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          conn.write(Buffer.concat([head, reply]));
        });
      }
    });
    conn.on('error', () => conn.destroy());
    conn.on('close', () => this.connections.delete(conn));
    conn.setTimeout(10_000, () => conn.destroy());
  }

  /** The reply to one query, or undefined to stay silent (garbage in, or an asker not on the network). */
  async answer(msg: Buffer, source: string, askedOn: string): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    const q = query.questions?.[0];
    if (query.type !== 'query' || !q) return undefined;
    const asker = source.replace(/^::ffff:/, '');
    const idx = await this.reload().catch(() => this.index);
    if (!isMember(idx, askedOn, asker)) return undefined;
    const name = q.name.toLowerCase().replace(/\.$/, '');
    const scope = scopeOf(idx, asker, askedOn);
    const ips = lookup(idx, scope, name);
    const reply = (rcode: number, answers: Answer[] = []): Buffer =>
      dnsPacket.encode({
        id: query.id,
        type: 'response',
        flags:
          dnsPacket.AUTHORITATIVE_ANSWER |
          ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
          dnsPacket.RECURSION_AVAILABLE |
          rcode,
        questions: query.questions,
        answers,
      });
    const asked = reverseAddress(name);
    const target = asked ? lookupReverse(idx, scope, asked) : undefined;
    if (target) {
      if (q.type !== 'PTR' && (q.type as string) !== 'ANY') return reply(RCODE.NOERROR);
      return reply(RCODE.NOERROR, [{ type: 'PTR', name: q.name, ttl: this.ttl, data: target }]);
    }
    if (ips) {
      if (q.type !== 'A' && (q.type as string) !== 'ANY') return reply(RCODE.NOERROR); // a name with no record of this type
      const key = `${scope.networks.join(',')}|${name}`;
      const turn = this.rotation.get(key) ?? 0;
      this.rotation.set(key, turn + 1);
      const order = ips.map((_, i) => ips[(i + turn) % ips.length] ?? '');
      return reply(
        RCODE.NOERROR,
        order.map((ip) => ({ type: 'A', name: q.name, ttl: this.ttl, data: ip })),
      );
    }
    // A bare name is a container name or nothing: never leak it to the host's resolvers.
    if (!name.includes('.')) return reply(RCODE.NXDOMAIN);
    // Containers only on internal networks have no way out, for names as for packets.
    if (scope.networks.every((n) => idx.internal.has(n))) return reply(RCODE.REFUSED);
    const own = scope.containerId ? idx.upstreamsOf.get(scope.containerId) : undefined;
    const upstreams = own
      ? own.map(parseUpstream).filter((u): u is Upstream => u !== undefined)
      : (this.opts.upstreams ?? this.hostUpstreams());
    const answer = await forward(msg, upstreams, this.timeoutMs);
    // A truncated upstream answer is relayed as is: the client retries over TCP, and that is forwarded again.
    return answer ?? reply(RCODE.SERVFAIL);
  }

  private hostUpstreams(): Upstream[] {
    return hostResolv(this.opts.resolvConf)
      .nameservers.map(parseUpstream)
      .filter((u): u is Upstream => u !== undefined);
  }
}
