import { describe, expect, it } from 'vitest';
import { project } from '../../fakes/project.js';
import { LABEL } from '../../../src/runtime/types.js';
import type { EngineEvent } from '../../../src/engine/events.js';
import { UsageError } from '../../../src/util/errors.js';
import { upCommand, upDryRun } from '../../../src/cli/commands/up.js';
import { readUpFlags } from '../../../src/cli/commands/flags/up-flags.js';
import { downCommand, readDownFlags } from '../../../src/cli/commands/down.js';
import { psCommand, readPsFlags } from '../../../src/cli/commands/ps.js';
import { logsCommand, readLogsFlags } from '../../../src/cli/commands/logs.js';
import { restartCommand, stopCommand, startCommand } from '../../../src/cli/commands/lifecycle.js';
import { killCommand, pauseCommand, unpauseCommand } from '../../../src/cli/commands/containers.js';
import { rmCommand } from '../../../src/cli/commands/rm.js';
import { execCommand, readExecFlags } from '../../../src/cli/commands/exec.js';
import { readRunFlags, runCommand } from '../../../src/cli/commands/run.js';
import { portCommand, readPortFlags } from '../../../src/cli/commands/port.js';
import { eventsCommand } from '../../../src/cli/commands/events.js';
import { waitCommand } from '../../../src/cli/commands/wait.js';
import { lsCommand, readLsFlags } from '../../../src/cli/commands/ls.js';
import { imagesCommand } from '../../../src/cli/commands/images.js';
import { pullCommand, readPullFlags } from '../../../src/cli/commands/pull.js';
import { topCommand } from '../../../src/cli/commands/top.js';
import { capture, CliRuntime, runtimesDisposedAfterEach, until } from './runtime.js';

const fresh = runtimesDisposedAfterEach(() => new CliRuntime());

const stack = (): ReturnType<typeof project> =>
  project({
    services: {
      db: { image: 'postgres:16' },
      web: { image: 'nginx:1.25', deps: { db: 'service_started' } },
      job: { image: 'busybox:latest' },
    },
  });

async function upDetached(rt: CliRuntime, p = stack(), services: string[] = []): Promise<void> {
  expect(await upCommand(rt, p, readUpFlags({ detach: true }), services, capture())).toBe(0);
}

async function statuses(rt: CliRuntime, name = 'demo'): Promise<Record<string, string>> {
  const list = await rt.listContainers(name, { all: true });
  return Object.fromEntries(list.map((c) => [c.name, c.status]));
}

describe('up', () => {
  it('-d starts the stack and ps lists it', async () => {
    const rt = fresh();
    await upDetached(rt);
    const io = capture();
    await psCommand(rt, stack(), readPsFlags({}), [], io);
    expect(io.stdout.split('\n')[0]).toMatch(/^NAME\s+IMAGE/);
    for (const n of ['demo-db-1', 'demo-web-1', 'demo-job-1']) expect(io.stdout).toContain(n);
    const q = capture();
    await psCommand(rt, stack(), readPsFlags({ services: true }), [], q);
    expect(q.stdout).toBe('db\njob\nweb\n');
  });

  it('--dry-run prints the plan and creates nothing', async () => {
    const rt = fresh();
    const io = capture();
    await upDryRun(rt, stack(), readUpFlags({}), [], io);
    expect(io.stdout).toMatch(/container demo-web-1: create/);
    expect(await rt.listContainers('demo', { all: true })).toEqual([]);
  });

  it('--build says so when the runtime cannot build', async () => {
    const rt = fresh();
    const p = project({ services: { app: { image: undefined, build: { context: '/src' } } } });
    await expect(
      upCommand(rt, p, readUpFlags({ detach: true, build: true, buildGiven: true }), [], capture()),
    ).rejects.toThrow('the memory runtime cannot build images');
  });

  it('--timeline prints when each service started', async () => {
    const rt = fresh();
    const io = capture();
    const events: EngineEvent[] = [];
    const flags = readUpFlags({ detach: true, timeline: true });
    await upCommand(rt, stack(), flags, [], { ...io, sink: (e) => events.push(e) }, events);
    expect(io.stdout).toMatch(/^Timeline: 3 services/);
  });

  it('attached: --abort-on-container-exit stops everything and returns the exit code', async () => {
    const rt = fresh();
    rt.behave('job', { exitAfterMs: 50, exitCode: 3 });
    const p = stack();
    const io = capture();
    const code = await upCommand(rt, p, readUpFlags({ abortOnContainerExit: true }), [], io);
    expect(code).toBe(3);
    expect(io.stdout).toMatch(/^Attaching to /);
    expect(io.stdout).toContain('job-1 exited with code 3\n');
    expect(io.stderr).toContain('Aborting on container exit');
    expect(await statuses(rt)).toEqual({
      'demo-db-1': 'exited',
      'demo-web-1': 'exited',
      'demo-job-1': 'exited',
    });
  });

  it('attached: --exit-code-from returns that service’s code, whichever container ends first', async () => {
    const rt = fresh();
    rt.behave('job', { exitAfterMs: 20, exitCode: 3 });
    expect(await upCommand(rt, stack(), readUpFlags({ exitCodeFrom: 'job' }), [], capture())).toBe(3);
    const rt2 = fresh();
    rt2.behave('web', { exitAfterMs: 20, exitCode: 7 });
    // web ends first and stops everything; job was stopped cleanly, so its code (0) is returned
    expect(await upCommand(rt2, stack(), readUpFlags({ exitCodeFrom: 'job' }), [], capture())).toBe(0);
  });

  it('attached: prints the containers’ lines and returns 0 once every container has ended', async () => {
    const rt = fresh();
    rt.behave('job', { exitAfterMs: 30, exitCode: 0 });
    const now = Date.now();
    rt.say('demo-job-1', now + 1000, 'hello from job');
    const io = capture();
    const code = await upCommand(
      rt,
      project({ services: { job: { image: 'busybox' } } }),
      readUpFlags({}),
      [],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout).toContain('job-1  | hello from job\n');
    expect(io.stdout).toContain('job-1 exited with code 0\n');
  });

  it('attached: Ctrl-C stops the stack in reverse order and exits 130', async () => {
    const rt = fresh();
    const ctrl = new AbortController();
    const io = capture({ signal: ctrl.signal });
    const running = upCommand(rt, stack(), readUpFlags({}), [], io);
    await until(() => io.stdout.includes('Attaching to'));
    ctrl.abort();
    expect(await running).toBe(130);
    expect(io.stderr).toContain('Gracefully stopping');
    const stops = rt.opsOf('stopContainer').map((o) => o.target);
    expect(stops.indexOf('demo-web-1')).toBeLessThan(stops.indexOf('demo-db-1'));
    expect(Object.values(await statuses(rt))).toEqual(['exited', 'exited', 'exited']);
  });
});

describe('lifecycle commands', () => {
  it('stop, start and restart go through the engine', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    await stopCommand(rt, p, {}, ['db'], capture());
    // stopping db takes its dependent web along
    expect(await statuses(rt)).toMatchObject({
      'demo-db-1': 'exited',
      'demo-web-1': 'exited',
      'demo-job-1': 'running',
    });
    await startCommand(rt, p, { wait: false }, [], capture());
    expect(Object.values(await statuses(rt))).toEqual(['running', 'running', 'running']);
    await restartCommand(rt, p, { noDeps: false }, ['web'], capture());
    expect(rt.opsOf('startContainer').filter((o) => o.target === 'demo-web-1').length).toBe(3);
  });

  it('kill signals dependents first; pause and unpause', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    await pauseCommand(rt, p, ['web'], capture());
    expect((await statuses(rt))['demo-web-1']).toBe('paused');
    await unpauseCommand(rt, p, [], capture());
    expect((await statuses(rt))['demo-web-1']).toBe('running');
    await killCommand(rt, p, { signal: 'kill' }, ['web', 'db'], capture());
    const kills = rt.opsOf('killContainer');
    expect(kills.map((k) => k.target)).toEqual(['demo-web-1', 'demo-db-1']);
    expect(kills[0]?.detail).toBe('SIGKILL');
  });

  it('rm without -f lists what it would remove and fails; with -f removes stopped containers only', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    await stopCommand(rt, p, {}, ['job'], capture());
    const dry = capture();
    await expect(
      rmCommand(rt, p, { force: false, stop: false, volumes: false }, [], dry),
    ).rejects.toBeInstanceOf(UsageError);
    expect(dry.stdout).toBe('Going to remove demo-job-1\n');
    expect(Object.keys(await statuses(rt))).toContain('demo-job-1');
    await rmCommand(rt, p, { force: true, stop: false, volumes: false }, [], capture());
    expect(Object.keys(await statuses(rt)).sort()).toEqual(['demo-db-1', 'demo-web-1']);
    await rmCommand(rt, p, { force: true, stop: true, volumes: false }, ['web'], capture());
    expect(Object.keys(await statuses(rt))).toEqual(['demo-db-1']);
  });

  it("down --rmi all removes the stack and the services' images", async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    const images = Object.values(p.services).map((s) => s.image as string);
    const io = capture();
    await downCommand(rt, p, readDownFlags({ rmi: 'all' }), [], io);
    expect(await rt.listContainers('demo', { all: true })).toEqual([]);
    expect(await rt.listNetworks('demo')).toEqual([]);
    for (const image of images) expect(await rt.inspectImage(image)).toBeUndefined();
    expect(() => readDownFlags({ rmi: 'some' })).toThrow(/--rmi/);
  });
});

describe('exec, run, port, wait', () => {
  it('exec needs a running container of the service', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    expect(await execCommand(rt, p, readExecFlags({}, false, {}), ['web', 'true'], capture())).toBe(0);
    await stopCommand(rt, p, {}, ['web'], capture());
    await expect(
      execCommand(rt, p, readExecFlags({}, false, {}), ['web', 'true'], capture()),
    ).rejects.toThrow('service "web" is not running');
  });

  it('run starts the dependencies, then a labelled one-off, and returns its exit code', async () => {
    const rt = fresh();
    rt.behave('web', { exitAfterMs: 20, exitCode: 4 });
    const p = stack();
    const code = await runCommand(rt, p, readRunFlags({}, false, {}), ['web', 'echo', 'hi'], capture());
    expect(code).toBe(4);
    const all = await rt.listContainers('demo', { all: true });
    expect(all.find((c) => c.name === 'demo-db-1')?.status).toBe('running');
    const oneoff = all.find((c) => /^demo-web-run-[0-9a-f]{12}$/.test(c.name));
    expect(oneoff?.labels[LABEL.oneoff]).toBe('True');
    expect(oneoff?.labels[LABEL.slug]).toMatch(/^[0-9a-f]{64}$/);
    expect(oneoff?.labels[LABEL.number]).toBeUndefined();
    expect(oneoff?.command).toBe('echo hi');
    // the one-off is not the service's container: ps -a shows both, up leaves it alone
    expect(all.some((c) => c.name === 'demo-web-1')).toBe(false);
  });

  it('run --rm --no-deps removes the one-off and starts nothing else', async () => {
    const rt = fresh();
    rt.behave('web', { exitAfterMs: 10, exitCode: 0 });
    const code = await runCommand(
      rt,
      stack(),
      readRunFlags({ rm: true, deps: false, name: 'once' }, false, {}),
      ['web'],
      capture(),
    );
    expect(code).toBe(0);
    expect(await rt.listContainers('demo', { all: true })).toEqual([]);
    expect(rt.opsOf('createContainer').map((o) => o.target)).toEqual(['once']);
  });

  it('port prints the host side of a published port', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    rt.setState('demo-web-1', {
      ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    });
    const io = capture();
    await portCommand(rt, p, readPortFlags({}), ['web', '80'], io);
    expect(io.stdout).toBe('127.0.0.1:8080\n');
    await expect(
      portCommand(rt, p, readPortFlags({ protocol: 'udp' }), ['web', '80'], capture()),
    ).rejects.toThrow(/no port 80\/udp/);
  });

  it('wait returns the first container’s exit code; --down-project takes the project down', async () => {
    const rt = fresh();
    rt.behave('job', { exitAfterMs: 30, exitCode: 5 });
    const p = stack();
    await upDetached(rt, p);
    expect(await waitCommand(rt, p, { downProject: true }, ['job', 'web'], capture())).toBe(5);
    expect(await rt.listContainers('demo', { all: true })).toEqual([]);
  });
});

describe('logs, events, ls, images, pull, top', () => {
  it('logs merges containers by time, honours --tail and --index', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    rt.say('demo-db-1', 1, 'db one').say('demo-web-1', 2, 'web two').say('demo-db-1', 3, 'db three');
    const io = capture();
    await logsCommand(rt, p, readLogsFlags({}, Date.now()), [], io);
    expect(io.stdout).toBe('db-1   | db one\nweb-1  | web two\ndb-1   | db three\n');
    const tail = capture();
    await logsCommand(rt, p, readLogsFlags({ tail: '1', logPrefix: false }, Date.now()), ['db'], tail);
    expect(tail.stdout).toBe('db three\n');
    const idx = capture();
    await logsCommand(rt, p, readLogsFlags({ index: '2' }, Date.now()), ['db'], idx);
    expect(idx.stdout).toBe('');
  });

  it('events keeps this project’s container events, also the ones without labels', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    const web = (await rt.listContainers('demo', { all: true })).find((c) => c.name === 'demo-web-1')!;
    rt.scriptedEvents.push(
      {
        time: 1000,
        type: 'container',
        action: 'die',
        id: web.id,
        attributes: { ...web.labels, name: web.name },
      },
      {
        time: 1001,
        type: 'container',
        action: 'start',
        id: 'other',
        attributes: { [LABEL.project]: 'else' },
      },
      { time: 1002, type: 'container', action: 'destroy', id: web.id, attributes: {} },
    );
    const io = capture();
    await eventsCommand(rt, p, { json: true }, [], io);
    const lines = io.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.action, l.service])).toEqual([
      ['die', 'web'],
      ['destroy', 'web'],
    ]);
  });

  it('ls lists every project with running containers; -a adds stopped ones; --filter name= narrows', async () => {
    const rt = fresh();
    await upDetached(rt);
    const other = project({ name: 'other', services: { x: { image: 'busybox' } } });
    await upDetached(rt, other);
    await stopCommand(rt, other, {}, [], capture());
    const io = capture();
    await lsCommand(rt, readLsFlags({}), io);
    expect(io.stdout).toBe('NAME   STATUS       CONFIG FILES\ndemo   running(3)   /work/demo/compose.yaml\n');
    const all = capture();
    await lsCommand(rt, readLsFlags({ all: true, quiet: true }), all);
    expect(all.stdout).toBe('demo\nother\n');
    const json = capture();
    await lsCommand(rt, readLsFlags({ all: true, format: 'json', filter: ['name=^oth'] }), json);
    expect(JSON.parse(json.stdout)).toEqual([
      { Name: 'other', Status: 'exited(1)', ConfigFiles: '/work/other/compose.yaml' },
    ]);
    expect(() => readLsFlags({ filter: ['label=x'] })).toThrow(/invalid filter "label"/);
  });

  it('images lists each container’s image; pull fetches each image once', async () => {
    const rt = fresh();
    const p = stack();
    await upDetached(rt, p);
    const io = capture();
    await imagesCommand(rt, p, { quiet: false, format: 'table' }, ['web'], io);
    expect(io.stdout.split('\n')[1]).toMatch(/^demo-web-1\s+nginx\s+1\.25\s+[0-9a-f]{12}/);
    rt.refusePull('postgres:16');
    await expect(pullCommand(rt, p, readPullFlags({}), [], capture())).rejects.toThrow(/pull access denied/);
    const warn = capture();
    await pullCommand(rt, p, readPullFlags({ ignorePullFailures: true }), [], warn);
    expect(warn.stderr).toMatch(/Warning: db: pull access denied/);
    expect(rt.opsOf('pull').map((o) => o.target)).toContain('nginx:1.25');
  });

  it('top reads the container’s process tree from /proc', async () => {
    const rt = fresh();
    const p = project({ services: { self: { image: 'busybox' } } });
    await upDetached(rt, p);
    rt.setState('demo-self-1', { pid: process.pid });
    const io = capture();
    await topCommand(rt, p, [], io);
    const [name, head, first] = io.stdout.split('\n');
    expect(name).toBe('demo-self-1');
    expect(head).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(first).toContain(String(process.pid));
    expect(first).toContain('node');
  });
});
