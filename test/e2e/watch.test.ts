// develop.watch end to end: `cmp up -d --watch` leaves a background watcher that syncs ./src into a
// host-rootfs container's private /tmp, propagates deletions, and ends with `watch --stop` or `down`.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DockerRuntime } from '../../src/runtime/docker/runtime.js';
import { ensureBusyboxImage, ensureDockerd, testDocker } from '../setup/dockerd.js';
import { assertNoLeaks } from '../setup/leaks.js';
import { cmp, pollUntil, projectDir } from './helpers.js';
import { projectRunDir } from '../../src/util/paths.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
  await assertNoLeaks();
});
afterAll(assertNoLeaks);

/** Live processes that are the watcher of this project. */
function watchers(project: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      if (
        state !== 'Z' &&
        cmd.some((a) => a.endsWith('watch/daemon.js') || a.endsWith('bin/watcher.js')) &&
        cmd.includes(project)
      )
        out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function setup(): { dir: string; name: string } {
  const p = projectDir(`
services:
  app:
    x-cmp:
      host_rootfs: true
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    develop:
      watch:
        - action: sync
          path: ./src
          target: /tmp/app
          initial_sync: true
          ignore: ["*.log"]
`);
  mkdirSync(join(p.dir, 'src', 'sub'), { recursive: true });
  writeFileSync(join(p.dir, 'src', 'file'), 'one\n');
  writeFileSync(join(p.dir, 'src', 'sub', 'gone'), 'bye\n');
  cleanups.push(() => cmp(['-p', p.name, 'down', '-t', '1'], { cwd: p.dir }));
  return p;
}

async function catIn(dir: string, project: string, path: string): Promise<string | undefined> {
  const r = await cmp(['-p', project, 'exec', '-T', 'app', 'cat', path], { cwd: dir });
  return r.code === 0 ? r.stdout : undefined;
}

describe('cmp up -d --watch (embedded, host-rootfs)', () => {
  it('syncs changes and deletions into the running container until `watch --stop`', async () => {
    const { dir, name } = setup();
    const up = await cmp(['-p', name, 'up', '-d', '--watch'], { cwd: dir });
    expect(up.stderr).toContain('Watching in the background');
    expect(up.code).toBe(0);
    expect(watchers(name)).toHaveLength(1);

    // initial_sync copied what was there before the watcher started.
    expect(await pollUntil('initial sync', () => catIn(dir, name, '/tmp/app/file'), 5000)).toBe('one\n');
    expect(await catIn(dir, name, '/tmp/app/sub/gone')).toBe('bye\n');

    writeFileSync(join(dir, 'src', 'file'), 'two\n');
    const started = Date.now();
    await pollUntil(
      'the change in the container',
      async () => (await catIn(dir, name, '/tmp/app/file')) === 'two\n',
      2000,
      50,
    );
    expect(Date.now() - started).toBeLessThan(2000);

    writeFileSync(join(dir, 'src', 'new.txt'), 'new\n');
    writeFileSync(join(dir, 'src', 'noise.log'), 'ignored\n');
    rmSync(join(dir, 'src', 'sub'), { recursive: true });
    await pollUntil(
      'the deletion in the container',
      async () => (await catIn(dir, name, '/tmp/app/sub/gone')) === undefined,
      2000,
      50,
    );
    expect(await catIn(dir, name, '/tmp/app/new.txt')).toBe('new\n');
    expect(await catIn(dir, name, '/tmp/app/noise.log')).toBeUndefined();

    const log = readFileSync(join(projectRunDir(name), 'watch.log'), 'utf8');
    expect(log).toMatch(/Syncing service app after \d+ changes? (was|were) detected/);

    const stop = await cmp(['-p', name, 'watch', '--stop'], { cwd: dir });
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain('stopped');
    expect(watchers(name)).toEqual([]);
    // No watcher any more: a change stays on the host.
    writeFileSync(join(dir, 'src', 'file'), 'three\n');
    await new Promise((r) => setTimeout(r, 1200));
    expect(await catIn(dir, name, '/tmp/app/file')).toBe('two\n');
  });

  it('`cmp down` ends the watcher and leaves nothing behind', async () => {
    const { dir, name } = setup();
    const up = await cmp(['-p', name, 'up', '-d', '--watch'], { cwd: dir });
    expect(up.code).toBe(0);
    expect(watchers(name)).toHaveLength(1);
    const down = await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir });
    expect(down.code).toBe(0);
    expect(watchers(name)).toEqual([]);
    await assertNoLeaks();
  });

  it('refuses a sync target on the read-only host root, naming the rule', async () => {
    const { dir, name } = projectDir(`
services:
  app:
    x-cmp:
      host_rootfs: true
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    develop:
      watch:
        - action: sync
          path: ./src
          target: /opt/app
`);
    mkdirSync(join(dir, 'src'));
    cleanups.push(() => cmp(['-p', name, 'down', '-t', '1'], { cwd: dir }));
    expect((await cmp(['-p', name, 'up', '-d', '--watch'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'src', 'f'), 'x\n');
    const log = await pollUntil(
      'the error in the watch log',
      async () => {
        const text = readFileSync(join(projectRunDir(name), 'watch.log'), 'utf8');
        return /error: .*\/opt\/app/.test(text) ? text : undefined;
      },
      5000,
    );
    expect(log).toContain("host-rootfs container's root is the host's own, read-only");
    expect(log).toContain('/tmp, /var/tmp, /run or a volume');
  });
});

describe('copyTo on the docker runtime (what sync uses)', () => {
  it('copies files with their modes, makes missing folders, and deletes paths', async () => {
    await ensureDockerd();
    const image = await ensureBusyboxImage();
    const docker = testDocker();
    const created = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', '600'],
      name: `cmp-watch-copy-${process.pid}`,
    });
    cleanups.push(() => created.remove({ force: true }));
    await created.start();
    const runtime = new DockerRuntime();
    const run = async (command: string[]): Promise<string> => {
      const out = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString()));
      const code = await runtime.exec(
        created.id,
        { command, tty: false, interactive: false },
        { stdout: out, stderr: out },
      );
      expect(code).toBe(0);
      return text;
    };
    const host = mkdtempSync(join(tmpdir(), 'cmp-watch-copy-'));
    cleanups.push(async () => rmSync(host, { recursive: true, force: true }));
    writeFileSync(join(host, 'script.sh'), 'echo hi\n');
    chmodSync(join(host, 'script.sh'), 0o750);
    writeFileSync(join(host, 'data.txt'), 'data\n');

    await runtime.copyTo(
      created.id,
      [
        { hostPath: join(host, 'script.sh'), containerPath: '/app/bin/script.sh' },
        { hostPath: join(host, 'data.txt'), containerPath: '/app/data.txt' },
      ],
      [],
    );
    expect(await run(['cat', '/app/data.txt'])).toBe('data\n');
    expect((await run(['stat', '-c', '%a', '/app/bin/script.sh'])).trim()).toBe('750');

    await runtime.copyTo(created.id, [], ['/app/bin']);
    expect(await run(['ls', '/app'])).toBe('data.txt\n');
  }, 120_000);
});
