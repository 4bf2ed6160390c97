// The isolation table of docs/security.md, measured: every row is tried from an embedded-runtime container
// (through the `cmp` binary) and from a Docker container (through the dockerd the tests start), on the same
// host, and each must come out as the row says. The attacks are real: a hand-made frame from a static probe
// compiled here, connections to unpublished ports of the other engine's containers. Traffic stays on this
// host: loopback, the engines' bridges and a namespace made here as "the outside".
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryRun } from '../../../src/util/exec.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd, testDocker } from '../../setup/dockerd.js';
import { assertNoLeaks } from '../../setup/leaks.js';
import { cmp, pollUntil, projectDir } from '../helpers.js';
import { ISOLATION_ROWS, type Outcome } from './isolation-rows.js';

const PROBE_SOURCE = resolve(import.meta.dirname, '../../fixtures/security/syn-probe.c');
const TAG = `${process.pid}`;
const OUTSIDE_NS = `sxout${TAG}`;
const OUTSIDE_LINK = `sxo${TAG}`;
const OUTSIDE_NET = `198.18.${randomInt(1, 250)}`;
const OUTSIDE_PORT = 8099;

/** One side of the measurement: run a command inside that engine's container. */
interface Actor {
  name: 'cmp' | 'docker';
  exec(cmd: string[]): Promise<{ code: number; out: string }>;
  /** The container's own address and its default gateway. */
  ip: string;
  gateway: string;
}

let probeDir: string;
let listener: Server;
let loopbackPort: number;
let outside: ChildProcess | undefined;
const docker = (): Dockerode => testDocker();
const made = { containers: [] as Dockerode.Container[], networks: [] as Dockerode.Network[] };
const measured: { row: string; engine: string; outcome: Outcome }[] = [];

// What each side runs: busybox httpd on 8080 (never published) and on 8081 (published by its engine).
const SERVE = (text: string): string =>
  `mkdir -p /tmp/www && echo ${text} > /tmp/www/index.html && busybox httpd -p 8080 -h /tmp/www && exec busybox httpd -f -p 8081 -h /tmp/www`;

async function routeOf(exec: Actor['exec']): Promise<{ ip: string; gateway: string }> {
  const addr = await exec(['busybox', 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
  const route = await exec(['busybox', 'ip', 'route', 'show', 'default']);
  const ip = /\binet\s+([\d.]+)\//.exec(addr.out)?.[1] ?? '';
  const gateway = /default via ([\d.]+)/.exec(route.out)?.[1] ?? '';
  expect(ip, addr.out).not.toBe('');
  expect(gateway, route.out).not.toBe('');
  return { ip, gateway };
}

/** busybox wget, bounded by `timeout` (busybox's own -T is unreliable); the body, or undefined. */
async function fetchFrom(actor: Actor, url: string): Promise<string | undefined> {
  const r = await actor.exec(['timeout', '4', 'busybox', 'wget', '-q', '-O', '-', url]);
  return r.code === 0 ? r.out.trim() : undefined;
}

function record(row: string, actor: Actor, outcome: Outcome): void {
  measured.push({ row, engine: actor.name, outcome });
  const expected = ISOLATION_ROWS.find((r) => r.id === row)?.[actor.name];
  expect(outcome, `${row} from a ${actor.name} container`).toBe(expected);
}

async function dockerExec(c: Dockerode.Container, cmd: string[]): Promise<{ code: number; out: string }> {
  const ex = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await ex.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  let out = '';
  sink.on('data', (d: Buffer) => (out += d.toString()));
  docker().modem.demuxStream(stream, sink, sink);
  await new Promise<void>((done) => stream.on('end', () => done()));
  const info = await ex.inspect();
  return { code: info.ExitCode ?? -1, out };
}

async function dockerContainer(
  network: Dockerode.Network,
  text: string,
  publish?: number,
): Promise<Dockerode.Container> {
  const c = await docker().createContainer({
    Image: BUSYBOX_IMAGE,
    Cmd: ['sh', '-c', SERVE(text)],
    Labels: { 'cmp-test': TAG },
    ExposedPorts: { '8081/tcp': {} },
    HostConfig: {
      NetworkMode: network.id,
      Binds: [`${probeDir}:/probe:ro`],
      ...(publish ? { PortBindings: { '8081/tcp': [{ HostPort: String(publish) }] } } : {}),
    },
  });
  made.containers.push(c);
  await c.start();
  return c;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '0.0.0.0', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

let cmpActor: Actor;
let dockerActor: Actor;
let cmpPublished: number;
let dockerPublished: number;
let cmpOtherPublished: number;
let dockerOtherPublished: number;
let cmpOther: string;
let dockerOther: string;

beforeAll(async () => {
  probeDir = mkdtempSync(join(tmpdir(), 'cmp-probe-'));
  // Its own cmp instance (state root), as a second user of this host would have: its table, bridges and
  // rules are named apart, and the leak check below looks at this instance's alone.
  const roots = mkdtempSync(join(tmpdir(), 'cmp-isolation-'));
  process.env.CMP_STATE_ROOT = join(roots, 'state');
  process.env.CMP_RUN_ROOT = join(roots, 'run');
  execFileSync('cc', ['-static', '-O2', '-o', join(probeDir, 'syn-probe'), PROBE_SOURCE]);
  listener = createServer((s) => s.end('loopback secret\n'));
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  loopbackPort = (listener.address() as { port: number }).port;

  // "The outside": a namespace behind a host interface, answering with the address it sees.
  const ns = (args: string[]): Promise<unknown> => tryRun('ip', ['-n', OUTSIDE_NS, ...args]);
  await tryRun('ip', ['netns', 'add', OUTSIDE_NS]);
  await tryRun('ip', [
    'link',
    'add',
    OUTSIDE_LINK,
    'type',
    'veth',
    'peer',
    'name',
    'eth0',
    'netns',
    OUTSIDE_NS,
  ]);
  await tryRun('ip', ['addr', 'add', `${OUTSIDE_NET}.1/24`, 'dev', OUTSIDE_LINK]);
  await tryRun('ip', ['link', 'set', OUTSIDE_LINK, 'up']);
  await ns(['addr', 'add', `${OUTSIDE_NET}.2/24`, 'dev', 'eth0']);
  await ns(['link', 'set', 'eth0', 'up']);
  await ns(['link', 'set', 'lo', 'up']);
  const script = `require('http').createServer((q, r) => r.end('outside saw ' + q.socket.remoteAddress)).listen(${OUTSIDE_PORT}, '${OUTSIDE_NET}.2')`;
  outside = spawn('ip', ['netns', 'exec', OUTSIDE_NS, process.execPath, '-e', script], { stdio: 'ignore' });
  await pollUntil('the outside server', () =>
    fetch(`http://${OUTSIDE_NET}.2:${OUTSIDE_PORT}/`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
    ),
  );

  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  [cmpPublished, dockerPublished, cmpOtherPublished, dockerOtherPublished] = [...ports] as [
    number,
    number,
    number,
    number,
  ];

  // The embedded side: a project publishing 8081, and another project whose container nobody may reach.
  const web = projectDir(`
services:
  web:
    x-cmp: { host_rootfs: true }
    init: true
    command: ['sh', '-c', '${SERVE('cmp-web')}']
    ports: ['${cmpPublished}:8081']
    volumes: ['${probeDir}:/probe:ro']
`);
  const other = projectDir(`
services:
  other:
    x-cmp: { host_rootfs: true }
    init: true
    command: ['sh', '-c', '${SERVE('cmp-other')}']
    ports: ['${cmpOtherPublished}:8081']
`);
  for (const p of [web, other]) {
    const up = await cmp(['-p', p.name, 'up', '-d', '--wait'], { cwd: p.dir });
    expect(up.code, up.stderr).toBe(0);
  }
  const cmpExec = (p: { dir: string; name: string }, svc: string) => async (cmd: string[]) => {
    const r = await cmp(['-p', p.name, 'exec', '-T', svc, ...cmd], { cwd: p.dir });
    return { code: r.code, out: r.stdout + r.stderr };
  };
  cmpActor = { name: 'cmp', exec: cmpExec(web, 'web'), ip: '', gateway: '' };
  Object.assign(cmpActor, await routeOf(cmpActor.exec));
  cmpOther = (await routeOf(cmpExec(other, 'other'))).ip;
  afterAllDown.push(web, other);

  // The Docker side: the same on two user-defined networks (dockerd's `br-<id>` bridges).
  await ensureDockerd();
  await ensureBusyboxImage();
  const n1 = await docker().createNetwork({ Name: `cmpsec-a-${TAG}`, Labels: { 'cmp-test': TAG } });
  const n2 = await docker().createNetwork({ Name: `cmpsec-b-${TAG}`, Labels: { 'cmp-test': TAG } });
  made.networks.push(n1, n2);
  const d1 = await dockerContainer(n1, 'docker-web', dockerPublished);
  const d2 = await dockerContainer(n2, 'docker-other', dockerOtherPublished);
  dockerActor = { name: 'docker', exec: (cmd) => dockerExec(d1, cmd), ip: '', gateway: '' };
  Object.assign(dockerActor, await routeOf(dockerActor.exec));
  dockerOther = (await routeOf((cmd) => dockerExec(d2, cmd))).ip;
  // Every server answers from the host, so a "blocked" below is the isolation, not a server that is down.
  for (const [ip, text] of [
    [cmpActor.ip, 'cmp-web'],
    [cmpOther, 'cmp-other'],
    [dockerActor.ip, 'docker-web'],
    [dockerOther, 'docker-other'],
  ] as const) {
    const body = await pollUntil(`${text} on ${ip}:8080 from the host`, () =>
      fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.text()),
    );
    expect(body.trim()).toBe(text);
  }
}, 180_000);

const afterAllDown: { dir: string; name: string }[] = [];

afterAll(async () => {
  for (const c of made.containers) await c.remove({ force: true }).catch(() => undefined);
  for (const n of made.networks) await n.remove().catch(() => undefined);
  for (const p of afterAllDown) await cmp(['-p', p.name, 'down', '-t', '1'], { cwd: p.dir });
  outside?.kill('SIGKILL');
  await tryRun('ip', ['link', 'del', OUTSIDE_LINK]);
  await tryRun('ip', ['netns', 'del', OUTSIDE_NS]);
  listener?.close();
  // The projects live for the whole file, so what cmp may not leave behind is checked once, here.
  await assertNoLeaks();
  // What CI shows: the table as measured on this host.
  const lines = measured.map((m) => `${m.row.padEnd(28)} ${m.engine.padEnd(7)} ${m.outcome}`);
  process.stdout.write(`isolation table, measured:\n${lines.join('\n')}\n`);
}, 120_000);

describe('isolation table (docs/security.md), cmp and Docker side by side', () => {
  it('host-loopback: no container reaches a service on the host’s 127.0.0.1 with a hand-made frame', async () => {
    // The listener answers on loopback, so a SYN-ACK means the frame got through.
    for (const actor of [cmpActor, dockerActor]) {
      const r = await actor.exec([
        '/probe/syn-probe',
        'eth0',
        actor.gateway,
        '127.0.0.1',
        String(loopbackPort),
      ]);
      expect(r.out, `syn-probe in the ${actor.name} container`).toMatch(/SYNACK|NONE/);
      record('host-loopback', actor, r.out.includes('SYNACK') ? 'allowed' : 'blocked');
    }
  });

  it('other-engine-unpublished: neither engine’s containers reach the other’s unpublished ports', async () => {
    const toDocker = await fetchFrom(cmpActor, `http://${dockerActor.ip}:8080/`);
    record('other-engine-unpublished', cmpActor, toDocker === 'docker-web' ? 'allowed' : 'blocked');
    const toCmp = await fetchFrom(dockerActor, `http://${cmpActor.ip}:8080/`);
    record('other-engine-unpublished', dockerActor, toCmp === 'cmp-web' ? 'allowed' : 'blocked');
  });

  it('other-engine-published: each engine’s containers reach what the other publishes, through the host', async () => {
    // A container's gateway is an address of the host, where the other engine's port is published.
    const toDocker = await fetchFrom(cmpActor, `http://${cmpActor.gateway}:${dockerPublished}/`);
    record('other-engine-published', cmpActor, toDocker === 'docker-web' ? 'allowed' : 'blocked');
    const toCmp = await fetchFrom(dockerActor, `http://${dockerActor.gateway}:${cmpPublished}/`);
    record('other-engine-published', dockerActor, toCmp === 'cmp-web' ? 'allowed' : 'blocked');
  });

  it('other-network-unpublished: a container does not reach another project’s network of its own engine', async () => {
    const cmpSide = await fetchFrom(cmpActor, `http://${cmpOther}:8080/`);
    record('other-network-unpublished', cmpActor, cmpSide === 'cmp-other' ? 'allowed' : 'blocked');
    const dockerSide = await fetchFrom(dockerActor, `http://${dockerOther}:8080/`);
    record('other-network-unpublished', dockerActor, dockerSide === 'docker-other' ? 'allowed' : 'blocked');
  });

  it('other-network-published: a container reaches what another network of its engine publishes, and its own (hairpin)', async () => {
    const cmpSide = await fetchFrom(cmpActor, `http://${cmpActor.gateway}:${cmpOtherPublished}/`);
    record('other-network-published', cmpActor, cmpSide === 'cmp-other' ? 'allowed' : 'blocked');
    const dockerSide = await fetchFrom(dockerActor, `http://${dockerActor.gateway}:${dockerOtherPublished}/`);
    record('other-network-published', dockerActor, dockerSide === 'docker-other' ? 'allowed' : 'blocked');
    // Hairpin: a container to the port its own network publishes.
    expect(await fetchFrom(cmpActor, `http://${cmpActor.gateway}:${cmpPublished}/`)).toBe('cmp-web');
    expect(await fetchFrom(dockerActor, `http://${dockerActor.gateway}:${dockerPublished}/`)).toBe(
      'docker-web',
    );
  });

  it('outbound-nat: containers reach the outside, which sees the host’s address', async () => {
    for (const actor of [cmpActor, dockerActor]) {
      const body = await fetchFrom(actor, `http://${OUTSIDE_NET}.2:${OUTSIDE_PORT}/`);
      // Masqueraded: the outside sees the host's address on its link, never the container's.
      const ok = body === `outside saw ${OUTSIDE_NET}.1`;
      if (body !== undefined) expect(body).toBe(`outside saw ${OUTSIDE_NET}.1`);
      record('outbound-nat', actor, ok ? 'allowed' : 'blocked');
    }
  });
});
