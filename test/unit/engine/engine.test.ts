import { afterEach, describe, expect, it } from 'vitest';
import { down, restart, stop, up } from '../../../src/engine/index.js';
import type { EngineEvent } from '../../../src/engine/index.js';
import type { Project } from '../../../src/model/types.js';
import { LABEL } from '../../../src/runtime/types.js';
import { EngineError } from '../../../src/util/errors.js';
import { MemoryRuntime } from '../../fakes/memory-runtime.js';
import type { OpRecord } from '../../fakes/memory-runtime.js';
import { project } from '../../fakes/project.js';
import type { ServiceSpec } from '../../fakes/project.js';

const hc = { test: ['CMD', 'true'] };
const fast = { pollIntervalMs: 5 };
let rt: MemoryRuntime;
afterEach(() => rt?.dispose());

function setup(services: Record<string, ServiceSpec>): {
  p: Project;
  rt: MemoryRuntime;
  events: EngineEvent[];
} {
  rt = new MemoryRuntime();
  return { p: project({ services }), rt, events: [] };
}

const first = (ops: OpRecord[], op: string, target: string): OpRecord => {
  const found = ops.find((o) => o.op === op && o.target === target);
  if (!found) throw new Error(`no ${op} ${target} in ${ops.map((o) => `${o.op} ${o.target}`).join(', ')}`);
  return found;
};

async function running(r: MemoryRuntime, p: Project): Promise<string[]> {
  return (await r.listContainers(p.name, { all: false })).map((c) => c.name).sort();
}

describe('dependency conditions', () => {
  it('service_healthy: the dependent starts only after the dependency reports healthy', async () => {
    const { p } = setup({ db: { healthcheck: hc }, web: { deps: { db: 'service_healthy' } } });
    rt.behave('db', { healthyAfterMs: 60 });
    await up(rt, p, fast);
    const dbStarted = first(rt.ops, 'startContainer', 'demo-db-1').end;
    expect(first(rt.ops, 'startContainer', 'demo-web-1').start).toBeGreaterThanOrEqual(dbStarted + 50);
    expect(await running(rt, p)).toEqual(['demo-db-1', 'demo-web-1']);
  });

  it('service_completed_successfully: the dependent starts after the one-shot exits 0', async () => {
    const { p } = setup({ init: {}, web: { deps: { init: 'service_completed_successfully' } } });
    rt.behave('init', { exitAfterMs: 40, exitCode: 0 });
    await up(rt, p, fast);
    expect(first(rt.ops, 'startContainer', 'demo-web-1').start).toBeGreaterThanOrEqual(
      first(rt.ops, 'startContainer', 'demo-init-1').end + 30,
    );
    expect(await running(rt, p)).toEqual(['demo-web-1']);
  });

  it('service_started: the dependent starts once the dependency start returned', async () => {
    const { p } = setup({ db: {}, web: { deps: { db: 'service_started' } } });
    rt.behave('db', { startDelayMs: 30 });
    await up(rt, p, fast);
    expect(first(rt.ops, 'startContainer', 'demo-web-1').start).toBeGreaterThanOrEqual(
      first(rt.ops, 'startContainer', 'demo-db-1').end,
    );
  });

  it('a one-shot exiting non-zero fails its dependent with the exit code', async () => {
    const { p } = setup({ init: {}, web: { deps: { init: 'service_completed_successfully' } } });
    rt.behave('init', { exitAfterMs: 10, exitCode: 3 });
    await expect(up(rt, p, fast)).rejects.toThrow('dependency init exited with code 3');
    // Like compose, web is created up front, but it never starts.
    expect(rt.opsOf('startContainer').map((o) => o.target)).toEqual(['demo-init-1']);
  });

  it('an unhealthy dependency fails its dependent', async () => {
    const { p } = setup({ db: { healthcheck: hc }, web: { deps: { db: 'service_healthy' } } });
    rt.behave('db', { unhealthyAfterMs: 10 });
    await expect(up(rt, p, fast)).rejects.toThrow(
      'dependency failed to start: container demo-db-1 is unhealthy',
    );
  });

  it('a dependency that exits while its dependent waits for it to be healthy fails the wait', async () => {
    const { p } = setup({ db: { healthcheck: hc }, web: { deps: { db: 'service_healthy' } } });
    rt.behave('db', { healthyAfterMs: 10_000, exitAfterMs: 20, exitCode: 1 });
    await expect(up(rt, p, fast)).rejects.toThrow(
      'dependency failed to start: container demo-db-1 exited (1)',
    );
  });

  it('a dependency that fails to start fails the dependent and the up', async () => {
    const { p } = setup({ db: {}, web: { deps: { db: 'service_started' } } });
    rt.behave('db', { failStart: 'port is already allocated' });
    await expect(up(rt, p, fast)).rejects.toThrow('port is already allocated');
    expect(rt.opsOf('startContainer').map((o) => o.target)).toEqual(['demo-db-1']);
  });

  it('required: false dependencies that fail or are missing only warn', async () => {
    const { p } = setup({
      db: {},
      web: {
        deps: {
          db: { condition: 'service_started', required: false },
          ghost: { condition: 'service_started', required: false },
        },
      },
    });
    rt.behave('db', { failStart: 'no space left' });
    const events: EngineEvent[] = [];
    await expect(up(rt, p, fast, (e) => events.push(e))).rejects.toThrow('no space left');
    expect(await running(rt, p)).toEqual(['demo-web-1']);
    const warnings = events.filter((e) => e.action === 'warning').map((e) => e.status);
    expect(warnings).toContain('optional dependency "ghost" is not defined');
    expect(
      warnings.some((w) =>
        w.startsWith(
          'optional dependency "db" failed to start: dependency db failed to start: no space left',
        ),
      ),
    ).toBe(true);
  });

  it('service_healthy on a service without any healthcheck fails when up gets there, as compose does', async () => {
    const { p } = setup({ db: {}, other: {}, web: { deps: { db: 'service_healthy' } } });
    const err = await up(rt, p, fast).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toBe(
      'dependency failed to start: container demo-db-1 has no healthcheck configured',
    );
    expect(await running(rt, p)).toEqual(['demo-db-1', 'demo-other-1']);
    expect(rt.opsOf('createContainer').map((o) => o.target)).toContain('demo-web-1');
  });

  it("an image's own healthcheck counts", async () => {
    const { p } = setup({ db: { image: 'pg:1' }, web: { deps: { db: 'service_healthy' } } });
    rt.addImage('pg:1', { healthcheck: { test: ['CMD', 'pg_isready'] } });
    await up(rt, p, fast);
    expect(await running(rt, p)).toEqual(['demo-db-1', 'demo-web-1']);
  });
});

describe('parallelism and order', () => {
  it('starts independent branches at the same time', async () => {
    const { p } = setup({ a: {}, b: {}, c: {} });
    rt.behave('a', { startDelayMs: 40 }).behave('b', { startDelayMs: 40 }).behave('c', { startDelayMs: 40 });
    await up(rt, p, fast);
    const [a, b, c] = ['a', 'b', 'c'].map((s) => first(rt.ops, 'startContainer', `demo-${s}-1`)) as [
      OpRecord,
      OpRecord,
      OpRecord,
    ];
    expect(Math.max(a.start, b.start, c.start)).toBeLessThan(Math.min(a.end, b.end, c.end));
  });

  it('honours the concurrency bound', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const { p } = setup(Object.fromEntries(names.map((n) => [n, {}])));
    for (const n of names) rt.behave(n, { startDelayMs: 25 });
    await up(rt, p, { ...fast, concurrency: 2 });
    const starts = rt.opsOf('startContainer');
    const peak = Math.max(
      ...starts.map((s) => starts.filter((o) => o.start <= s.start && o.end > s.start).length),
    );
    expect(peak).toBe(2);
  });

  it('stops dependents before their dependencies with each stop_signal and grace period', async () => {
    const { p } = setup({
      db: { stop_signal: 'SIGINT', stop_grace_period: '30s' },
      api: { deps: { db: 'service_started' } },
      web: { deps: { api: 'service_started' } },
    });
    await up(rt, p, fast);
    await stop(rt, p);
    expect(rt.opsOf('stopContainer').map((o) => `${o.target} ${o.detail ?? ''}`)).toEqual([
      'demo-web-1 SIGTERM 10000ms',
      'demo-api-1 SIGTERM 10000ms',
      'demo-db-1 SIGINT 30000ms',
    ]);
    await up(rt, p, fast);
    await down(rt, p, { timeoutMs: 1000 });
    expect(rt.opsOf('removeContainer').map((o) => o.target)).toEqual([
      'demo-web-1',
      'demo-api-1',
      'demo-db-1',
    ]);
    expect(
      rt
        .opsOf('stopContainer')
        .slice(3)
        .map((o) => o.detail),
    ).toEqual(['SIGTERM 1000ms', 'SIGTERM 1000ms', 'SIGINT 1000ms']);
    expect(await rt.listContainers(p.name, { all: true })).toEqual([]);
    expect(await rt.listNetworks(p.name)).toEqual([]);
  });
});

describe('recreate and restart', () => {
  it('recreates in four steps and restarts dependents that declared restart: true', async () => {
    const spec = {
      db: {},
      web: { deps: { db: { condition: 'service_started' as const, restart: true } } },
      worker: { deps: { db: 'service_started' as const } },
    };
    const { p } = setup(spec);
    await up(rt, p, fast);
    const oldDb = (await rt.inspectContainer('demo-db-1'))?.id ?? '';
    rt.ops.length = 0;
    const changed = project({ services: { ...spec, db: { environment: { A: '1' } } } });
    await up(rt, changed, fast);
    const tmp = `${oldDb.slice(0, 12)}_demo-db-1`;
    expect(rt.ops.map((o) => `${o.op} ${o.target}`)).toEqual([
      'ensureImage busybox:latest',
      'stopContainer demo-web-1',
      `createContainer ${tmp}`,
      'stopContainer demo-db-1',
      'removeContainer demo-db-1',
      'renameContainer demo-db-1',
      'startContainer demo-db-1',
      'startContainer demo-web-1',
    ]);
    const db = await rt.inspectContainer('demo-db-1');
    expect(db?.labels[LABEL.replace]).toBe('demo-db-1');
    expect(await running(rt, changed)).toEqual(['demo-db-1', 'demo-web-1', 'demo-worker-1']);
  });

  it('restart takes restart: true dependents along', async () => {
    const { p } = setup({
      db: {},
      web: { deps: { db: { condition: 'service_started', restart: true } } },
      other: {},
    });
    await up(rt, p, fast);
    rt.ops.length = 0;
    await restart(rt, p, { services: ['db'], ...fast });
    expect(rt.ops.map((o) => `${o.op} ${o.target}`)).toEqual([
      'stopContainer demo-web-1',
      'stopContainer demo-db-1',
      'startContainer demo-db-1',
      'startContainer demo-web-1',
    ]);
  });
});

describe('interruption and --wait', () => {
  it('an abort mid-up leaves state that the next up converges from', async () => {
    const { p } = setup({ db: { healthcheck: hc }, web: { deps: { db: 'service_healthy' } } });
    rt.behave('db', { healthyAfterMs: 10_000 });
    const ac = new AbortController();
    const run = up(rt, p, fast, undefined, ac.signal);
    setTimeout(() => ac.abort(), 30);
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).exitCode).toBe(130);
    expect(await running(rt, p)).toEqual(['demo-db-1']);
    rt.behave('db', { healthyAfterMs: 5 });
    await rt.stopContainer('demo-db-1', { timeoutMs: 0 });
    await up(rt, p, fast);
    expect(await running(rt, p)).toEqual(['demo-db-1', 'demo-web-1']);
    expect(rt.opsOf('createContainer').map((o) => o.target)).toEqual(['demo-db-1', 'demo-web-1']);
  });

  it('--wait returns once everything is healthy and one-shots completed', async () => {
    const { p } = setup({
      init: {},
      db: { healthcheck: hc },
      web: { deps: { init: 'service_completed_successfully' } },
    });
    rt.behave('init', { exitAfterMs: 10 }).behave('db', { healthyAfterMs: 40 });
    await up(rt, p, { ...fast, wait: true, waitTimeoutMs: 2000 });
    expect((await rt.inspectContainer('demo-db-1'))?.health).toBe('healthy');
  });

  it('--wait-timeout names the service that did not get ready', async () => {
    const { p } = setup({ db: { healthcheck: hc }, web: {} });
    rt.behave('db', { healthyAfterMs: 10_000 });
    await expect(up(rt, p, { ...fast, wait: true, waitTimeoutMs: 60 })).rejects.toThrow(
      'application not healthy after 60ms: service db is not ready (demo-db-1 running (starting))',
    );
  });
});

describe('images', () => {
  it('a build-only service without its image fails clearly', async () => {
    const { p } = setup({ app: { image: undefined, build: { context: '/src' } } });
    await expect(up(rt, p, fast)).rejects.toThrow('service "app" needs image demo-app, which must be built');
  });

  it('pull_policy never with a missing image fails', async () => {
    const { p } = setup({ app: { image: 'x:1', pull_policy: 'never' } });
    await expect(up(rt, p, fast)).rejects.toThrow('image x:1 not found');
  });
});
