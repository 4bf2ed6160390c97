// Network state on disk, shared by every cmp process: one JSON file per network, one per sandbox, and the
// address memory that makes addresses sticky. Files are replaced atomically (temp file + fsync + rename)
// so a reader (the DNS server) never sees half a file; writers hold the directory's lock. A damaged file
// is moved aside with a warning naming it, never a failure of every project's commands: the runtime
// repairs what it described (manager.ts, repair.ts).
import { readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateRoot } from '../../../util/paths.js';
import { withLock } from '../../../util/lock.js';
import { fileKey } from './names.js';
import { readJsonState, replaceSmall } from '../../../util/small-files.js';
import type { PublishedPort } from '../../types.js';

export type IpAssignment = 'sticky' | 'sequential';

export interface AttachmentRecord {
  containerId: string;
  /** Interface name inside the sandbox (eth0, eth1, ...). */
  iface: string;
  hostVeth: string;
  ipv4: string;
  mac?: string;
  /** Names this attachment answers to in DNS: service name, container name, aliases. */
  aliases: string[];
  /** `project/service/number`, the key of the sticky address memory. */
  identity?: string;
  /**
   * Set on a recreate's replacement while the container it replaces still holds the address: the interface
   * stays down (and out of DNS) until that container's attachment is removed, so one address is never live
   * twice on the bridge.
   */
  waitsFor?: string;
  /** Gateway for the default route a waiting interface gets when it comes up. */
  defaultVia?: string;
}

export interface NetworkRecord {
  id: string;
  name: string;
  key: string;
  project: string;
  labels: Record<string, string>;
  driver: string;
  bridge: string;
  subnet: string;
  gateway: string;
  /** Dynamic addresses come from here (ipam `ip_range`); static ones from the whole subnet. */
  ipRange?: string;
  internal: boolean;
  mtu?: number;
  ipAssignment: IpAssignment;
  /** Static addresses of the project's services and ipam aux addresses: never handed out dynamically. */
  reserved: string[];
  attachments: AttachmentRecord[];
  createdAt: number;
}

export interface PublishedRecord extends PublishedPort {
  /** Where the traffic goes: the container's address and the bridge it sits on. */
  targetIp: string;
  bridge: string;
}

export interface SandboxRecord {
  containerId: string;
  netns: string;
  netnsPath: string;
  /** The service's `dns` servers: the embedded DNS forwards this container's other queries to them. */
  dnsServers?: string[];
  ports: PublishedRecord[];
}

export interface AddressMemory {
  /** Last subnet per network name, reused when the network is made again. */
  subnets: Record<string, string>;
  /** network name -> identity -> address. */
  addresses: Record<string, Record<string, string>>;
}

const NET_PREFIX = 'net-';
const SANDBOX_PREFIX = 'sandbox-';

export function networksDir(): string {
  return join(stateRoot(), 'networks');
}

async function readJson<T extends object>(path: string): Promise<T | undefined> {
  return readJsonState<T>(path);
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await replaceSmall(path, `${JSON.stringify(value, null, 2)}\n`);
}

async function readAll<T extends object>(dir: string, prefix: string): Promise<T[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: T[] = [];
  for (const n of names.sort()) {
    if (!n.startsWith(prefix) || !n.endsWith('.json')) continue;
    const v = await readJson<T>(join(dir, n));
    if (v) out.push(v);
  }
  return out;
}

export class NetStateStore {
  constructor(readonly dir: string = networksDir()) {}

  async locked<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    return withLock(join(this.dir, '.lock'), fn);
  }

  netPath(name: string): string {
    return join(this.dir, `${NET_PREFIX}${fileKey(name)}.json`);
  }

  sandboxPath(id: string): string {
    return join(this.dir, `${SANDBOX_PREFIX}${fileKey(id)}.json`);
  }

  networks(): Promise<NetworkRecord[]> {
    return readAll<NetworkRecord>(this.dir, NET_PREFIX);
  }

  network(name: string): Promise<NetworkRecord | undefined> {
    return readJson<NetworkRecord>(this.netPath(name));
  }

  async saveNetwork(rec: NetworkRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeJson(this.netPath(rec.name), rec);
  }

  async deleteNetwork(name: string): Promise<void> {
    await rm(this.netPath(name), { force: true });
  }

  sandboxes(): Promise<SandboxRecord[]> {
    return readAll<SandboxRecord>(this.dir, SANDBOX_PREFIX);
  }

  sandbox(id: string): Promise<SandboxRecord | undefined> {
    return readJson<SandboxRecord>(this.sandboxPath(id));
  }

  async saveSandbox(rec: SandboxRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeJson(this.sandboxPath(rec.containerId), rec);
  }

  async deleteSandbox(id: string): Promise<void> {
    await rm(this.sandboxPath(id), { force: true });
  }

  async memory(): Promise<AddressMemory> {
    const mem = await readJson<Partial<AddressMemory>>(join(this.dir, 'memory.json'));
    return { subnets: mem?.subnets ?? {}, addresses: mem?.addresses ?? {} };
  }

  async saveMemory(mem: AddressMemory): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeJson(join(this.dir, 'memory.json'), mem);
  }
}
