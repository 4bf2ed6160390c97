// What a user observes of a running embedded stack through the `cmp` binary: start-order events and
// the timeline, followed logs, ps health and restart counts, and runtime events on a restart.
import { describe, expect, it } from 'vitest';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { cleanupAfterEach, cmp, cmpSpawn, pollUntil, projectDir } from './helpers.js';

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
`;

/** The fields of a `--progress json` line these tests read. */
interface ProgressEvent {
  time: number;
  kind: string;
  name: string;
  service?: string;
  action: string;
  status: string;
}

/** The fields of a `cmp events --json` line these tests read. */
interface RuntimeEventLine {
  action: string;
  service: string;
  attributes?: Record<string, string>;
}

type Spawned = ChildProcessByStdio<null, Readable, Readable>;

const { downAfter, later } = cleanupAfterEach();

/** Spawns a long-running cmp command, collects its stdout, and kills it after the test. */
function follow(args: string[], cwd: string): { proc: Spawned; output: () => string } {
  const proc = cmpSpawn(args, { cwd });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.resume();
  later(async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await gone;
  });
  return { proc, output: () => out };
}

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as T);
}

describe('observing an embedded stack through cmp', () => {
  it('starts web only after db is healthy, and says so in the events and the timeline', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  db:
    <<: *host
    init: true
    command: ['sh', '-c', 'sleep 1; touch /tmp/ready; exec sleep 1000']
    healthcheck:
      test: ['CMD', 'test', '-f', '/tmp/ready']
      interval: 200ms
      retries: 30
  web:
    <<: *host
    init: true
    command: ['sleep', '1000']
    depends_on:
      db:
        condition: service_healthy
`);
    downAfter(dir, name);
    const up = await cmp(['-p', name, '--progress', 'json', 'up', '-d', '--timeline'], { cwd: dir });
    expect(up.code).toBe(0);
    const events = jsonLines<ProgressEvent>(up.stderr);
    const dbHealthy = events.findIndex((e) => e.service === 'db' && e.action === 'healthy');
    const webStarts = events.findIndex(
      (e) => e.kind === 'container' && e.service === 'web' && e.action === 'start',
    );
    const dbStarted = events.findIndex(
      (e) => e.kind === 'container' && e.service === 'db' && e.action === 'started',
    );
    expect(webStarts, up.stderr).toBeGreaterThan(-1);
    expect(dbStarted).toBeGreaterThan(-1);
    expect(dbStarted).toBeLessThan(webStarts);
    expect(dbHealthy, `no healthy event for db in:\n${up.stderr}`).toBeGreaterThan(-1);
    expect(dbHealthy).toBeLessThan(webStarts);
    // db's healthcheck passes only after ~1 s, so web's start comes at least that much after db's.
    const webStart = events[webStarts]?.time ?? 0;
    expect(webStart - (events[dbStarted]?.time ?? webStart)).toBeGreaterThanOrEqual(800);
    expect(up.stdout).toMatch(/^web\s+waited \d+(\.\d+)?m?s for db \(service_healthy\)$/m);
  });

  it('follows a new log line within a second', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  talker:
    <<: *host
    init: true
    command: ['sh', '-c', 'echo talker-ready; exec sleep 1000']
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    const logs = follow(['-p', name, 'logs', '-f', '--no-log-prefix', 'talker'], dir);
    await pollUntil('logs -f to print the existing line', async () => logs.output().includes('talker-ready'));
    // A line written to PID 1's stdout is the container's own output.
    const write = await cmp(
      ['-p', name, 'exec', '-T', 'talker', 'sh', '-c', 'echo fresh-line > /proc/1/fd/1'],
      { cwd: dir },
    );
    expect(write.code).toBe(0);
    await pollUntil(
      'the new line to be followed',
      async () => logs.output().includes('fresh-line'),
      1000,
      50,
    );
    expect(logs.proc.exitCode).toBeNull();
  });

  it('shows health and restarts in ps, and die/start events when an always container is killed', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  keeper:
    <<: *host
    command: ['sleep', '1000']
    restart: always
    healthcheck:
      test: ['CMD', 'true']
      interval: 200ms
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d', '--wait'], { cwd: dir })).code).toBe(0);
    const status = async (): Promise<string> => {
      const r = await cmp(['-p', name, 'ps', '-a'], { cwd: dir });
      expect(r.code).toBe(0);
      return r.stdout.split('\n').find((l) => l.startsWith(`${name}-keeper-1`)) ?? '';
    };
    expect(await status()).toMatch(/\bUp .*\(healthy\)/);

    const events = follow(['-p', name, 'events', '--json'], dir);
    const seen = (action: string): boolean =>
      jsonLines<RuntimeEventLine>(events.output()).some((e) => e.action === action && e.service === 'keeper');
    // `cmp events` gives no sign of being subscribed: kill again until the death is reported.
    for (let attempt = 0; attempt < 3 && !seen('die'); attempt++) {
      const top = await pollUntil('keeper to run', async () => {
        const r = await cmp(['-p', name, 'top', 'keeper'], { cwd: dir });
        const pid = Number(/^\S+\s+(\d+)\s.*sleep 1000$/m.exec(r.stdout)?.[1]);
        return pid > 1 ? pid : undefined;
      });
      process.kill(top, 'SIGKILL');
      await pollUntil('a die event', async () => seen('die'), 3000).catch(() => undefined);
    }
    expect(seen('die'), events.output()).toBe(true);
    await pollUntil('a start event after the death', async () => {
      const lines = jsonLines<RuntimeEventLine>(events.output()).filter((e) => e.service === 'keeper');
      const die = lines.findIndex((e) => e.action === 'die');
      return die >= 0 && lines.slice(die).some((e) => e.action === 'start');
    });
    const restarted = await pollUntil('ps to show the restart', async () => {
      const line = await status();
      return /\(healthy, restarts: [1-3]\)/.test(line) ? line : undefined;
    });
    expect(restarted).toMatch(/\bUp .*\(healthy, restarts: [1-3]\)/);
  });

  it('shows kill, die and stop events for kill -s SIGKILL and stop, in the order docker gives them', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  s:
    <<: *host
    command: ['sleep', '1000']
    init: true
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    const events = follow(['-p', name, 'events', '--json'], dir);
    const mine = (): RuntimeEventLine[] =>
      jsonLines<RuntimeEventLine>(events.output()).filter((e) => e.service === 's');
    // `cmp events` gives no sign of being subscribed: its first look takes the state as it is.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await cmp(['-p', name, 'kill', '-s', 'SIGKILL', 's'], { cwd: dir })).code).toBe(0);
    await pollUntil('kill and die events', async () => mine().some((e) => e.action === 'die'));
    expect(mine().map((e) => e.action)).toEqual(['kill', 'die']);
    expect(mine()[0]?.attributes?.signal).toBe('9');
    expect((await cmp(['-p', name, 'start', 's'], { cwd: dir })).code).toBe(0);
    // `events` learns of a start by looking: a stop right after it could fall between two looks.
    await pollUntil('a start event', async () => mine().some((e) => e.action === 'start'));
    expect((await cmp(['-p', name, 'stop', 's'], { cwd: dir })).code).toBe(0);
    await pollUntil('a stop event', async () => mine().some((e) => e.action === 'stop'));
    expect(mine().map((e) => e.action)).toEqual(['kill', 'die', 'start', 'kill', 'die', 'stop']);
  });
});
