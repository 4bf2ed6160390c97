import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/graph/dependency-graph.js';
import { restartDependents, withDependencies, withDependents } from '../../../src/graph/select.js';
import { traverse } from '../../../src/graph/traverse.js';
import { ModelError } from '../../../src/util/errors.js';
import { project } from '../../fakes/project.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('dependency graph', () => {
  it('collects edges from depends_on, links, service: modes and volumes_from', () => {
    const g = buildGraph(
      project({
        services: {
          db: {},
          cache: {},
          vpn: {},
          data: {},
          web: {
            deps: { db: 'service_healthy' },
            links: ['cache:redis'],
            network_mode: 'service:vpn',
            volumes_from: ['data:ro', 'container:foreign'],
          },
        },
      }),
    );
    const edges = g.dependencies.get('web') ?? [];
    expect(edges.map((e) => [e.service, e.condition, e.restart, e.sources.join('+')])).toEqual([
      ['cache', 'service_started', true, 'links'],
      ['data', 'service_started', false, 'volumes_from'],
      ['db', 'service_healthy', false, 'depends_on'],
      ['vpn', 'service_started', true, 'network_mode'],
    ]);
    expect(g.order).toEqual(['cache', 'data', 'db', 'vpn', 'web']);
  });

  it('orders by level then name so the same file always gives the same order', () => {
    const g = buildGraph(project({ services: { z: {}, a: { deps: { z: 'service_started' } }, m: {} } }));
    expect(g.order).toEqual(['m', 'z', 'a']);
  });

  it('reports a cycle with its path', () => {
    const p = project({ services: { a: { deps: { b: 'service_started' } }, b: { links: ['a'] } } });
    expect(() => buildGraph(p)).toThrow(ModelError);
    expect(() => buildGraph(p)).toThrow('dependency cycle detected: a -> b -> a');
  });

  it('rejects an undefined required dependency and keeps an optional one aside', () => {
    expect(() => buildGraph(project({ services: { web: { deps: { db: 'service_started' } } } }))).toThrow(
      'service "web" depends on undefined service "db"',
    );
    const g = buildGraph(
      project({ services: { web: { deps: { db: { condition: 'service_started', required: false } } } } }),
    );
    expect(g.missingOptional.get('web')).toEqual(['db']);
  });

  it('names the profiles of a disabled required dependency', () => {
    const p = project({
      services: { web: { deps: { db: 'service_started' } } },
      disabled: { db: { profiles: ['dev'] } },
    });
    expect(() => buildGraph(p)).toThrow(
      'service db is required by web but is disabled. Can be enabled by profiles [dev]',
    );
  });

  it('selects dependencies for up and dependents for stop', () => {
    const g = buildGraph(
      project({
        services: {
          db: {},
          api: { deps: { db: 'service_started' } },
          web: { deps: { api: { condition: 'service_started', restart: true } } },
        },
      }),
    );
    expect([...withDependencies(g, ['web'])].sort()).toEqual(['api', 'db', 'web']);
    expect([...withDependencies(g, ['web'], true)]).toEqual(['web']);
    expect([...withDependents(g, ['db'])].sort()).toEqual(['api', 'db', 'web']);
    expect([...restartDependents(g, ['db'])]).toEqual([]);
    expect([...restartDependents(g, ['api'])]).toEqual(['web']);
  });
});

describe('traversal', () => {
  const diamond = buildGraph(
    project({
      services: {
        db: {},
        cache: {},
        api: { deps: { db: 'service_started', cache: 'service_started' } },
        worker: { deps: { db: 'service_started' } },
      },
    }),
  );

  it('visits dependencies first going up and dependents first going down', async () => {
    const up: string[] = [];
    await traverse(diamond, { direction: 'up', concurrency: 1 }, async (n) => void up.push(n));
    expect(up).toEqual(['cache', 'db', 'api', 'worker']);
    const down: string[] = [];
    await traverse(diamond, { direction: 'down', concurrency: 1 }, async (n) => void down.push(n));
    expect(down).toEqual(['api', 'cache', 'worker', 'db']);
  });

  it('runs independent branches at once, within the bound', async () => {
    const g = buildGraph(project({ services: { a: {}, b: {}, c: {}, d: {} } }));
    let inFlight = 0;
    let peak = 0;
    const visit = async (): Promise<void> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(20);
      inFlight--;
    };
    await traverse(g, { direction: 'up' }, visit);
    expect(peak).toBe(4);
    peak = 0;
    await traverse(g, { direction: 'up', concurrency: 2 }, visit);
    expect(peak).toBe(2);
  });

  it('stops scheduling after an error and rethrows it', async () => {
    const seen: string[] = [];
    await expect(
      traverse(diamond, { direction: 'up', concurrency: 1 }, async (n) => {
        seen.push(n);
        if (n === 'db') throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['cache', 'db']);
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const run = traverse(diamond, { direction: 'up', concurrency: 1, signal: ac.signal }, async (n) => {
      seen.push(n);
      if (n === 'db') ac.abort();
    });
    await expect(run).rejects.toThrow('aborted');
    expect(seen).toEqual(['cache', 'db']);
  });

  it('only visits the selected nodes', async () => {
    const seen: string[] = [];
    await traverse(
      diamond,
      { direction: 'up', only: new Set(['api', 'cache']) },
      async (n) => void seen.push(n),
    );
    expect(seen).toEqual(['cache', 'api']);
  });
});
