// The docker driver against a real engine: networks with aliases, health, volumes, logs, exec, build, list,
// events, and a clean slate at the end.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../src/runtime/docker/runtime.js';
import type { ContainerState, ImageInfo, LogLine, RuntimeEvent } from '../../../src/runtime/types.js';
import { LABEL } from '../../../src/runtime/types.js';
import type { Project, Service } from '../../../src/model/types.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd, testDocker } from '../../setup/dockerd.js';
import { createRequest, makeProject, projectName, service } from './fixtures.js';

const rt = new DockerRuntime({ connection: { socketPath: '/var/run/docker.sock' } });
const P = projectName('cmpdt');
const BUILT = `cmp-test/${P}-built:latest`;
let image: ImageInfo;
let project: Project;
let buildDir: string;

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function collect(it: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of it) out.push(l);
  return out;
}

/** Creates, starts and waits for a one-shot container of `serviceName`; returns its exit code and id. */
async function runToEnd(serviceName: string, number: number): Promise<{ code: number; id: string }> {
  const c = await rt.createContainer(createRequest(project, serviceName, image, number));
  await rt.startContainer(c.id);
  return { code: await rt.waitContainer(c.id), id: c.id };
}

/** A stream that hands every chunk written to it, as text, to `write`. */
function sink(write: (s: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      write(chunk.toString());
      cb();
    },
  });
}

function withService(name: string, svc: Service): void {
  project.services[name] = svc;
}

async function removeProjectObjects(): Promise<void> {
  for (const c of await rt.listContainers(P, { all: true }))
    await rt.removeContainer(c.id, { force: true, volumes: true });
  for (const n of await rt.listNetworks(P)) await rt.removeNetwork(n.name);
  for (const v of await rt.listVolumes(P)) await rt.removeVolume(v.name);
  await rt.removeImage(BUILT, { force: true });
}

beforeAll(async () => {
  await ensureDockerd();
  await ensureBusyboxImage();
  image = await rt.ensureImage(BUSYBOX_IMAGE, 'never');
  const sleeper = (extra: Partial<Service>): Service =>
    service({ command: ['sleep', '3600'], init: true, ...extra });
  project = makeProject(P, ['front', 'back'], ['data'], {
    db: sleeper({ networks: { back: { aliases: ['database'] } } }),
    web: sleeper({
      networks: { front: null, back: null },
      healthcheck: {
        test: ['CMD-SHELL', 'test -e /tmp/ready'],
        interval: '200ms',
        timeout: '1s',
        retries: 3,
        // Failures inside the start period do not count, so health stays "starting" until the probe passes.
        start_period: '60s',
      },
      ports: [{ target: 8080, protocol: 'tcp', mode: 'ingress', host_ip: '127.0.0.1' }],
    }),
  });
  buildDir = await mkdtemp(join(tmpdir(), 'cmp-docker-build-'));
});

afterAll(async () => {
  // Safety net if a test failed half-way; the last test asserts the clean state.
  await removeProjectObjects().catch(() => undefined);
  await rm(buildDir, { recursive: true, force: true });
});

describe('DockerRuntime', () => {
  it('creates networks and volumes with compose labels, and lists them by project', async () => {
    for (const key of ['front', 'back']) {
      const n = await rt.createNetwork({
        name: `${P}_${key}`,
        key,
        project: P,
        labels: {},
        config: { name: `${P}_${key}` },
      });
      expect(n.labels[LABEL.project]).toBe(P);
      expect(n.labels[LABEL.network]).toBe(key);
      expect(n.labels[LABEL.version]).toBeTruthy();
    }
    const v = await rt.createVolume({
      name: `${P}_data`,
      key: 'data',
      project: P,
      labels: {},
      config: { name: `${P}_data` },
    });
    expect(v.labels[LABEL.volume]).toBe('data');
    expect((await rt.listNetworks(P)).map((n) => n.name).sort()).toEqual([`${P}_back`, `${P}_front`]);
    expect((await rt.listVolumes(P)).map((x) => x.name)).toEqual([`${P}_data`]);
  });

  it('an alias resolves on its network only, and later-connected networks work', async () => {
    const db = await rt.createContainer(createRequest(project, 'db', image));
    const web = await rt.createContainer(createRequest(project, 'web', image));
    expect(web.networks.map((n) => n.network).sort()).toEqual([`${P}_back`, `${P}_front`]);
    await rt.startContainer(db.id);
    await rt.startContainer(web.id);

    const probe = (name: string, nets: Record<string, null>, lookup: string): Service =>
      service({ command: ['nslookup', lookup], networks: nets, labels: { probe: name } });
    withService('onback', probe('onback', { back: null }, 'database'));
    withService('onfront', probe('onfront', { front: null }, 'database'));
    withService('webviaback', probe('webviaback', { back: null }, 'web'));
    expect((await runToEnd('onback', 1)).code).toBe(0);
    expect((await runToEnd('onfront', 1)).code).not.toBe(0);
    expect((await runToEnd('webviaback', 1)).code).toBe(0);
  });

  it('reports health from inspect and published ports on loopback', async () => {
    const [web] = (await rt.listContainers(P, { all: false })).filter(
      (c) => c.labels[LABEL.service] === 'web',
    );
    if (!web) throw new Error('web is not running');
    expect(web.health).toBe('starting');
    expect(
      await rt.exec(web.id, { command: ['touch', '/tmp/ready'], tty: false, interactive: false }, {}),
    ).toBe(0);
    const healthy = await poll('web to be healthy', async () => {
      const s = await rt.inspectContainer(web.id);
      return s?.health === 'healthy' ? s : undefined;
    });
    const port = healthy.ports.find((p) => p.containerPort === 8080);
    expect(port?.hostIp).toBe('127.0.0.1');
    expect(port?.hostPort).toBeGreaterThan(0);
    // Something answers on the published port once a server listens in the container.
    await rt.exec(web.id, {
      command: ['httpd', '-p', '8080', '-h', '/tmp'],
      tty: false,
      interactive: false,
      detach: true,
    });
    const status = await poll(
      'httpd to answer',
      () =>
        new Promise<number | undefined>((resolve) => {
          const req = request({ host: '127.0.0.1', port: port?.hostPort, path: '/ready' }, (res) => {
            res.resume();
            resolve(res.statusCode);
          });
          req.on('error', () => resolve(undefined));
          req.end();
        }),
    );
    expect(status).toBe(200);
  });

  it('exec returns the exit code and the output', async () => {
    const [db] = (await rt.listContainers(P, { all: false })).filter((c) => c.labels[LABEL.service] === 'db');
    if (!db) throw new Error('db is not running');
    let out = '';
    let err = '';
    const code = await rt.exec(
      db.id,
      { command: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'], tty: false, interactive: false },
      { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) },
    );
    expect(code).toBe(3);
    expect(out).toBe('to-out\n');
    expect(err).toBe('to-err\n');
  });

  it('runs an attached one-off on the given stdin and returns its exit code and output (cmp run)', async () => {
    withService(
      'asker',
      service({
        command: ['sh', '-c', 'read x; echo "got: $x"; echo to-err >&2; exit 7'],
        stdin_open: true,
        networks: { back: null },
      }),
    );
    const c = await rt.createContainer({ ...createRequest(project, 'asker', image, 1), attached: true });
    let out = '';
    let err = '';
    const code = await rt.runAttached(c.id, {
      stdin: Readable.from(['hello from the pipe\n']),
      stdout: sink((s) => (out += s)),
      stderr: sink((s) => (err += s)),
    });
    expect(code).toBe(7);
    expect(out).toBe('got: hello from the pipe\n');
    expect(err).toBe('to-err\n');
    await rt.removeContainer(c.id, { force: true, volumes: true });
  });

  it('logs returns stdout and stderr lines, each stream in order, with times', async () => {
    withService(
      'talker',
      service({ command: ['sh', '-c', 'echo one; echo two >&2; echo three'], networks: { back: null } }),
    );
    const { code, id } = await runToEnd('talker', 1);
    expect(code).toBe(0);
    const lines = await collect(rt.logs(id, { follow: false }));
    // The engine copies the two pipes separately, so only the order within a stream is guaranteed.
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['one', 'three']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['two']);
    expect(lines.every((l) => Math.abs(l.time - Date.now()) < 60_000)).toBe(true);
    // Following a stopped container ends with the log; tail counts from the end of the engine's order.
    const tail = await collect(rt.logs(id, { follow: true, tail: 2 }));
    expect(tail.map((l) => l.line)).toEqual(lines.slice(1).map((l) => l.line));
  });

  it('a named volume keeps a file across remove/create and is gone after removeVolume', async () => {
    const mount = [{ type: 'volume' as const, source: 'data', target: '/data' }];
    withService(
      'writer',
      service({ command: ['sh', '-c', 'echo kept > /data/f'], volumes: mount, networks: { back: null } }),
    );
    withService('reader', service({ command: ['cat', '/data/f'], volumes: mount, networks: { back: null } }));
    const w = await runToEnd('writer', 1);
    expect(w.code).toBe(0);
    await rt.removeContainer(w.id, { force: false, volumes: true });
    expect(await rt.inspectContainer(w.id)).toBeUndefined();
    const r = await runToEnd('reader', 1);
    expect(r.code).toBe(0);
    expect((await collect(rt.logs(r.id, { follow: false }))).map((l) => l.line)).toEqual(['kept']);
    await rt.removeContainer(r.id, { force: false, volumes: true });
    await rt.removeVolume(`${P}_data`);
    expect(await rt.inspectVolume(`${P}_data`)).toBeUndefined();
  });

  it('builds a Dockerfile FROM the local busybox image, with args, and runs it', async () => {
    await writeFile(
      join(buildDir, 'Dockerfile'),
      `FROM ${BUSYBOX_IMAGE}\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\nCMD ["cat", "/hello.txt", "/greeting"]\n`,
    );
    await writeFile(join(buildDir, 'hello.txt'), 'from context\n');
    await writeFile(join(buildDir, 'secret.txt'), 'not sent\n');
    await writeFile(join(buildDir, '.dockerignore'), 'secret.txt\n');
    const progress: string[] = [];
    const svc = service({
      image: BUILT,
      build: { context: buildDir, args: { GREETING: 'hello from args' }, labels: { 'cmp.test': P } },
      networks: { back: null },
    });
    const built = await rt.build(svc, {
      project: P,
      serviceName: 'built',
      events: (e) => progress.push(e.status),
    });
    expect(built.config.labels?.['cmp.test']).toBe(P);
    expect(progress.some((s) => s.startsWith('Step'))).toBe(true);
    withService('built', svc);
    const { code, id } = await runToEnd('built', 1);
    expect(code).toBe(0);
    expect((await collect(rt.logs(id, { follow: false }))).map((l) => l.line)).toEqual([
      'from context',
      'hello from args',
    ]);
  });

  it('lists the project containers by label, and streams their events', async () => {
    const names = (await rt.listContainers(P, { all: true })).map((c) => c.name).sort();
    expect(names).toEqual(
      [
        `${P}-built-1`,
        `${P}-db-1`,
        `${P}-onback-1`,
        `${P}-onfront-1`,
        `${P}-talker-1`,
        `${P}-web-1`,
        `${P}-webviaback-1`,
      ].sort(),
    );
    const running = (await rt.listContainers(P, { all: false })).map((c) => c.labels[LABEL.service]).sort();
    expect(running).toEqual(['db', 'web']);

    const ac = new AbortController();
    const seen: RuntimeEvent[] = [];
    const stream = rt.events(ac.signal, P);
    const reading = (async () => {
      for await (const ev of stream) {
        seen.push(ev);
        if (ev.type === 'container' && ev.action === 'die') ac.abort();
      }
    })();
    const [db] = (await rt.listContainers(P, { all: false })).filter((c) => c.labels[LABEL.service] === 'db');
    await rt.stopContainer((db as ContainerState).id, { timeoutMs: 5000 });
    await reading;
    const die = seen.find((e) => e.action === 'die');
    expect(die?.attributes.name).toBe(`${P}-db-1`);
    expect(die?.attributes[LABEL.service]).toBe('db');
  });

  it('removes everything it made: nothing labelled with the project is left', async () => {
    await removeProjectObjects();
    expect(await rt.listContainers(P, { all: true })).toEqual([]);
    expect(await rt.listNetworks(P)).toEqual([]);
    expect(await rt.listVolumes(P)).toEqual([]);
    expect(await rt.inspectImage(BUILT)).toBeUndefined();
    const docker = testDocker();
    const labelled = { label: [`${LABEL.project}=${P}`] };
    expect(await docker.listContainers({ all: true, filters: labelled })).toEqual([]);
    expect((await docker.listVolumes({ filters: { dangling: ['true'] } })).Volumes ?? []).toEqual([]);
  });
});
