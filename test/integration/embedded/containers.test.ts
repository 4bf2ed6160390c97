// The embedded runtime end to end against the kernel: runc + conmon + overlayfs, as root.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRuntime, HOST_ROOTFS_IMAGE } from '../../../src/runtime/embedded/runtime.js';
import type { ContainerCreateRequest, LogLine } from '../../../src/runtime/types.js';
import { NetNone } from '../../fakes/net-none.js';
import { assertNoLeaks } from '../../setup/leaks.js';
import { BUSYBOX_REF, busyboxSource, makeBusyboxLayer } from './helpers/busybox-image.js';
import { project, request } from './helpers/request.js';
import { finishFile, removeAll, saveRoots, useRootsIn } from './helpers/roots.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'cmp-embedded-'));
const layer = makeBusyboxLayer(join(tmp, 'layer'));
const source = busyboxSource(layer);
const PROJECT = 'cmpembt';
let rt: EmbeddedRuntime;
const saved = saveRoots();

async function busybox() {
  const info = await source.inspect(BUSYBOX_REF);
  if (!info) throw new Error('no test image');
  return info;
}

async function allLogs(id: string): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of rt.logs(id, { follow: false })) out.push(l);
  return out;
}

async function runToEnd(req: ContainerCreateRequest): Promise<{ id: string; code: number; lines: string[] }> {
  const st = await rt.createContainer(req);
  await rt.startContainer(st.id);
  const code = await rt.waitContainer(st.id);
  return { id: st.id, code, lines: (await allLogs(st.id)).map((l) => l.line) };
}

async function until<T>(f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(() => {
  useRootsIn(tmp);
  rt = new EmbeddedRuntime(source, new NetNone());
});

afterEach(async () => {
  await removeAll(rt, PROJECT);
  for (const v of await rt.listVolumes(PROJECT)) await rt.removeVolume(v.name);
  await assertNoLeaks();
});

afterAll(() => finishFile(tmp, saved));

const probe = 'hostname; echo "pid=$$"; echo "foo=$FOO"; grep -c " /data " /proc/mounts; id -u';

describe('embedded containers', () => {
  it('an image container sees its hostname, is PID 1, has its env and its volume mount', async () => {
    const p = project(PROJECT, ['data']);
    const r = await runToEnd(
      request(p, 'web', await busybox(), {
        hostname: 'web-one',
        environment: { FOO: 'bar' },
        volumes: [{ type: 'volume', source: 'data', target: '/data' }],
        command: ['sh', '-c', probe],
      }),
    );
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['web-one', 'pid=1', 'foo=bar', '1', '0']);
  });

  it('a host-rootfs service runs on the host filesystem, read-only, in its own namespaces', async () => {
    const p = project(PROJECT, ['data']);
    const r = await runToEnd(
      request(p, 'tool', HOST_ROOTFS_IMAGE, {
        'x-cmp': { host_rootfs: true },
        hostname: 'hosty',
        environment: { FOO: 'baz' },
        volumes: [{ type: 'volume', source: 'data', target: '/data' }],
        command: [
          '/bin/sh',
          '-c',
          `${probe}; test -f /etc/debian_version && echo host-etc; touch /usr/x 2>/dev/null || echo usr-ro; ` +
            'touch /tmp/x && echo tmp-rw; touch /data/x && echo data-rw',
        ],
      }),
    );
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'hosty',
      'pid=1',
      'foo=baz',
      '1',
      '0',
      'host-etc',
      'usr-ro',
      'tmp-rw',
      'data-rw',
    ]);
  });

  it('applies Docker-like confinement: seccomp, capabilities, masked and read-only /proc, cgroup limits', async () => {
    const p = project(PROJECT);
    const r = await runToEnd(
      request(p, 'sec', await busybox(), {
        mem_limit: 64 * 1024 * 1024,
        pids_limit: 50,
        command: [
          'sh',
          '-c',
          'grep -E "^(Seccomp|CapEff):" /proc/self/status | tr -s "\t " " "; ' +
            'cat /proc/keys | wc -c; (echo 1 > /proc/sys/kernel/hostname) 2>/dev/null || echo sys-ro; ' +
            'unshare -n true 2>/dev/null || echo no-unshare; ' +
            'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max',
        ],
      }),
    );
    expect(r.lines).toEqual([
      'CapEff: 00000000a80425fb',
      'Seccomp: 2',
      '0',
      'sys-ro',
      'no-unshare',
      String(64 * 1024 * 1024),
      '50',
    ]);
  });

  it('a missing bind source is an error naming the service and the path', async () => {
    const p = project(PROJECT);
    const missing = join(tmp, 'does-not-exist');
    await expect(
      rt.createContainer(
        request(p, 'bad', await busybox(), {
          volumes: [{ type: 'bind', source: missing, target: '/x' }],
          command: ['true'],
        }),
      ),
    ).rejects.toThrow(`service "bad": bind source path does not exist: ${missing}`);
    const made = join(tmp, 'made-for-me');
    const ok = await rt.createContainer(
      request(p, 'good', await busybox(), {
        volumes: [{ type: 'bind', source: made, target: '/x', bind: { create_host_path: true } }],
        command: ['true'],
      }),
    );
    expect(existsSync(made)).toBe(true);
    expect(ok.status).toBe('created');
  });

  it('a named volume keeps its files across remove and create, and is gone after removeVolume', async () => {
    const p = project(PROJECT, ['keep']);
    const svc = (cmd: string) => ({
      volumes: [{ type: 'volume' as const, source: 'keep', target: '/srv/seed' }],
      command: ['sh', '-c', cmd],
    });
    const first = await runToEnd(
      request(p, 'db', await busybox(), svc('echo hello > /srv/seed/kept; ls /srv/seed')),
    );
    // Copy-up: the empty volume got the image's content at that path on first mount.
    expect(first.lines).toEqual(['from-image.txt', 'kept']);
    await rt.removeContainer(first.id, { force: false, volumes: true });
    const second = await runToEnd(request(p, 'db', await busybox(), svc('cat /srv/seed/kept')));
    expect(second.lines).toEqual(['hello']);
    await rt.removeContainer(second.id, { force: false, volumes: true });
    const vol = await rt.inspectVolume(`${PROJECT}_keep`);
    expect(vol?.mountpoint && existsSync(vol.mountpoint)).toBe(true);
    await rt.removeVolume(`${PROJECT}_keep`);
    expect(await rt.inspectVolume(`${PROJECT}_keep`)).toBeUndefined();
    expect(existsSync(join(tmp, 'state', 'volumes', `${PROJECT}_keep`))).toBe(false);
  });

  it('with init: true the container exits within 100 ms of SIGTERM; a bare sleep as PID 1 ignores it', async () => {
    const p = project(PROJECT);
    const withInit = await rt.createContainer(
      request(p, 'init', await busybox(), { init: true, command: ['sleep', '1000'] }),
    );
    await rt.startContainer(withInit.id);
    const t0 = Date.now();
    await rt.killContainer(withInit.id, 'SIGTERM');
    expect(await rt.waitContainer(withInit.id)).toBe(143);
    const done = await rt.inspectContainer(withInit.id);
    expect((done?.finishedAt ?? Infinity) - t0).toBeLessThan(100);

    const bare = await rt.createContainer(
      request(p, 'bare', await busybox(), { command: ['sleep', '1000'] }),
    );
    await rt.startContainer(bare.id);
    const t1 = Date.now();
    await rt.stopContainer(bare.id, { timeoutMs: 1000 });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(1000);
    expect((await rt.inspectContainer(bare.id))?.exitCode).toBe(137);
  });

  it('a non-root user cannot write to a read-only path', async () => {
    const p = project(PROJECT);
    const shared = join(tmp, 'shared');
    mkdirSync(shared, { recursive: true });
    chmodSync(shared, 0o777);
    const r = await runToEnd(
      request(p, 'ro', await busybox(), {
        user: 'app',
        read_only: true,
        volumes: [{ type: 'bind', source: shared, target: '/shared', read_only: true }],
        command: [
          'sh',
          '-c',
          'id -u; id -G; touch /shared/x 2>&1; touch /home/app/x 2>&1; echo "$HOME"; exit 0',
        ],
      }),
    );
    expect(r.lines[0]).toBe('1000');
    expect(r.lines[1]).toBe('1000 2000');
    expect(r.lines[2]).toMatch(/Read-only file system/);
    expect(r.lines[3]).toMatch(/Read-only file system/);
    expect(r.lines[4]).toBe('/home/app');
    expect(existsSync(join(shared, 'x'))).toBe(false);
  });

  it('exec runs inside the container with its env and returns the exit code', async () => {
    const p = project(PROJECT);
    const st = await rt.createContainer(
      request(p, 'ex', await busybox(), {
        init: true,
        hostname: 'exhost',
        environment: { FOO: 'bar' },
        command: ['sh', '-c', 'touch /only-here; sleep 1000'],
      }),
    );
    await rt.startContainer(st.id);
    await until(async () =>
      (await rt.execCapture(st.id, { command: ['test', '-f', '/only-here'], tty: false, interactive: false }))
        .exitCode === 0
        ? true
        : undefined,
    );
    const check = '[ "$FOO" = bar ] && [ "$(hostname)" = exhost ] && [ -f /only-here ] && exit 7; exit 1';
    expect(await rt.exec(st.id, { command: ['sh', '-c', check], tty: false, interactive: false })).toBe(7);
    const who = await rt.execCapture(st.id, {
      command: ['id', '-u'],
      user: 'app',
      tty: false,
      interactive: false,
    });
    expect(who.stdout.trim()).toBe('1000');
    await rt.stopContainer(st.id, { timeoutMs: 5000 });
  });

  it('logs keep stdout and stderr in order, and follow delivers a new line', async () => {
    const p = project(PROJECT);
    const st = await rt.createContainer(
      request(p, 'log', await busybox(), {
        init: true,
        command: [
          'sh',
          '-c',
          'echo o1; sleep 0.05; echo e1 >&2; sleep 0.05; echo o2; while [ ! -f /tmp/go ]; do sleep 0.02; done; echo late',
        ],
      }),
    );
    await rt.startContainer(st.id);
    const seen: LogLine[] = [];
    const ac = new AbortController();
    const following = (async () => {
      for await (const l of rt.logs(st.id, { follow: true, signal: ac.signal })) {
        seen.push(l);
        if (seen.length === 3)
          await rt.exec(st.id, { command: ['touch', '/tmp/go'], tty: false, interactive: false });
      }
    })();
    await following;
    expect(seen.map((l) => `${l.stream}:${l.line}`)).toEqual([
      'stdout:o1',
      'stderr:e1',
      'stdout:o2',
      'stdout:late',
    ]);
    expect(await rt.waitContainer(st.id)).toBe(0);
    const tail = [];
    for await (const l of rt.logs(st.id, { follow: false, tail: 2 })) tail.push(l.line);
    expect(tail).toEqual(['o2', 'late']);
  });

  it('a container outlives the process that started it, and a new runtime sees it run and exit', async () => {
    const p = project(PROJECT);
    const req = request(p, 'orphan', await busybox(), {
      init: true,
      command: ['sh', '-c', 'while [ ! -f /tmp/go ]; do sleep 0.02; done; exit 3'],
    });
    // Inside the project's node_modules so the bundle resolves execa & co. like the sources do.
    const out = join(here, '../../../node_modules/.cache/cmp-embedded-test');
    await build({
      input: join(here, 'helpers/child-start.ts'),
      platform: 'node',
      external: [/^node:/, /node_modules/, /^[a-z@]/],
      output: { dir: out, format: 'esm', entryFileNames: 'child.mjs' },
      logLevel: 'silent',
    });
    const child = spawn(process.execPath, [join(out, 'child.mjs'), layer, JSON.stringify(req)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: join(here, '../../..'),
    });
    const id = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (b: Buffer) => {
        buf += b.toString();
        if (buf.includes('\n')) resolve(buf.trim());
      });
      child.on('exit', (code) => reject(new Error(`child exited early: ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const fresh = new EmbeddedRuntime(source, new NetNone());
    expect((await fresh.inspectContainer(id))?.status).toBe('running');
    expect((await fresh.listContainers(PROJECT, { all: false })).map((c) => c.id)).toEqual([id]);
    await fresh.exec(id, { command: ['touch', '/tmp/go'], tty: false, interactive: false });
    expect(await fresh.waitContainer(id)).toBe(3);
    const st = await fresh.inspectContainer(id);
    expect(st?.status).toBe('exited');
    expect(st?.exitCode).toBe(3);
  });
});
