import { afterEach, describe, expect, it } from 'vitest';
import { down, planUp, up } from '../../../src/engine/index.js';
import type { Project } from '../../../src/model/types.js';
import { computeDownPlan, formatDownPlan, observe } from '../../../src/plan/index.js';
import type { DownOptions } from '../../../src/plan/index.js';
import { MemoryRuntime } from '../../fakes/memory-runtime.js';
import { project } from '../../fakes/project.js';
import type { ProjectSpec } from '../../fakes/project.js';
import { expectGolden } from './golden.js';

const healthcheck = { test: ['CMD', 'true'], interval: '1s' };

function stack(over: (spec: ProjectSpec) => void = () => undefined): Project {
  const spec: ProjectSpec = {
    services: {
      db: {
        image: 'postgres:16',
        healthcheck,
        volumes: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data' }],
      },
      web: {
        image: 'nginx:1',
        deps: { db: { condition: 'service_healthy', restart: true } },
        networks: { default: null, front: null },
      },
      worker: { image: 'worker:1', deps: { db: 'service_started' } },
    },
    networks: { front: {} },
    volumes: { data: {} },
  };
  over(spec);
  return project(spec);
}

let rt: MemoryRuntime;
afterEach(() => rt?.dispose());

async function upFresh(p: Project, options = {}): Promise<MemoryRuntime> {
  rt = new MemoryRuntime();
  await up(rt, p, { pollIntervalMs: 5, ...options });
  return rt;
}

async function downText(p: Project, opts: DownOptions = {}): Promise<string> {
  return formatDownPlan(computeDownPlan(p, await observe(rt, p), opts));
}

describe('up plan', () => {
  it('fresh up creates networks, volumes and every container, dependencies first', async () => {
    rt = new MemoryRuntime();
    rt.addImage('postgres:16');
    expectGolden('fresh-up', (await planUp(rt, stack())).text);
  });

  it('a second up changes nothing', async () => {
    await upFresh(stack());
    expectGolden('noop-up', (await planUp(rt, stack())).text);
  });

  it('a changed environment recreates the service and restarts dependents declaring restart: true', async () => {
    await upFresh(stack());
    const changed = stack((s) => {
      s.services.db = { ...s.services.db, environment: { POSTGRES_PASSWORD: 'x' } };
    });
    expectGolden('changed-env', (await planUp(rt, changed)).text);
  });

  it('scaling 1 -> 3 -> 1 adds and removes by container number', async () => {
    await upFresh(stack());
    expectGolden('scale-up', (await planUp(rt, stack(), { scale: { worker: 3 } })).text);
    await up(rt, stack(), { scale: { worker: 3 }, pollIntervalMs: 5 });
    expectGolden('scale-down', (await planUp(rt, stack(), { scale: { worker: 1 } })).text);
  });

  it('orphans are reported, and removed only with --remove-orphans', async () => {
    await upFresh(stack());
    const without = stack((s) => {
      delete s.services.worker;
    });
    expectGolden('orphans-warn', (await planUp(rt, without)).text);
    expectGolden('orphans-remove', (await planUp(rt, without, { removeOrphans: true })).text);
  });

  it('--force-recreate recreates everything in scope; --no-recreate nothing', async () => {
    await upFresh(stack());
    expectGolden('force-recreate', (await planUp(rt, stack(), { forceRecreate: true })).text);
    const changed = stack((s) => {
      s.services.db = { ...s.services.db, environment: { A: '1' } };
    });
    expectGolden('no-recreate', (await planUp(rt, changed, { noRecreate: true })).text);
  });

  it('selecting a service pulls in its dependencies unless --no-deps', async () => {
    rt = new MemoryRuntime();
    expectGolden('select-web', (await planUp(rt, stack(), { services: ['web'] })).text);
    expectGolden('select-web-no-deps', (await planUp(rt, stack(), { services: ['web'], noDeps: true })).text);
  });

  it('editing depends_on, scale or x- keys does not recreate', async () => {
    await upFresh(stack());
    const edited = stack((s) => {
      s.services.worker = { ...s.services.worker, deps: {}, 'x-note': 'hi', pull_policy: 'always' };
    });
    const { plan } = await planUp(rt, edited);
    expect(plan.services.flatMap((s) => s.actions.map((a) => a.kind))).toEqual(['keep', 'keep', 'keep']);
  });

  it('a missing external network is an error naming it', async () => {
    rt = new MemoryRuntime();
    const p = stack((s) => {
      s.networks = { front: { external: true, name: 'shared' } };
    });
    await expect(planUp(rt, p)).rejects.toThrow(
      'network shared declared as external, but could not be found',
    );
    rt.addNetwork('shared');
    expect((await planUp(rt, p)).text).toContain('network shared: external, found');
  });
});

describe('down plan', () => {
  it('removes containers dependents first, then networks; volumes only with -v', async () => {
    await upFresh(stack());
    expectGolden('down', await downText(stack()));
    expectGolden('down-v', await downText(stack(), { volumes: true }));
  });

  it('takes the containers of services a profile switches off, before the rest (as compose does)', async () => {
    await upFresh(stack());
    const withoutProfile = stack((s) => {
      const { worker, ...rest } = s.services;
      s.services = rest;
      s.disabled = { worker: worker ?? { image: 'worker:1' } };
    });
    const plan = computeDownPlan(withoutProfile, await observe(rt, withoutProfile));
    expect(plan.containers.map((r) => r.service)).toEqual(['worker', 'web', 'db']);
    expect(plan.orphans).toEqual([]);
    await down(rt, withoutProfile);
    expect(await rt.listContainers('demo', { all: true })).toEqual([]);
  });

  it('never removes external volumes', async () => {
    const p = stack((s) => {
      s.volumes = { data: { external: true, name: 'keep-me' } };
    });
    rt = new MemoryRuntime();
    rt.addVolume('keep-me');
    await up(rt, p, { pollIntervalMs: 5 });
    await down(rt, p, { volumes: true });
    expect(await rt.inspectVolume('keep-me')).toBeDefined();
    expect(await downText(p, { volumes: true })).toBe(
      'warning: No resource found to remove for project "demo".\n',
    );
  });
});
