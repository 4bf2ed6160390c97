// Golden files for every format on the quickstart example, two corpus files and a fixture with every
// edge kind. On an intended change: npx vitest run test/unit/graph-render -u, then read the diff.
import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { loadProject } from '../../../src/loader/index.js';
import { buildView, GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../../src/graph/render/index.js';
import { graphFormat } from '../../../src/cli/commands/graph.js';
import type { Project } from '../../../src/model/types.js';
import { UsageError } from '../../../src/util/errors.js';
import { xmlProblems } from './xml-check.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CORPUS = join(ROOT, 'test/fixtures/corpus/awesome-compose');

const CASES: Record<string, string> = {
  quickstart: join(ROOT, 'examples/quickstart/compose.yaml'),
  'nginx-flask-mysql': join(CORPUS, 'nginx-flask-mysql/compose.yaml'),
  'elasticsearch-logstash-kibana': join(CORPUS, 'elasticsearch-logstash-kibana/compose.yaml'),
  kinds: join(import.meta.dirname, 'fixtures/kinds/compose.yaml'),
};

const EXT: Record<GraphFormat, string> = { text: 'txt', mermaid: 'mmd', dot: 'dot', svg: 'svg' };

function load(file: string): Promise<Project> {
  return loadProject({ cwd: ROOT, files: [file], envFiles: [], profiles: [], interpolate: true, env: {} });
}

describe.each(Object.entries(CASES))('cmp graph on %s', (name, file) => {
  it.each(GRAPH_FORMATS.map((f) => [f]))('renders %s as in the golden file', async (format) => {
    const view = buildView(await load(file), { volumes: true });
    await expect(renderGraph(view, format)).toMatchFileSnapshot(`__snapshots__/${name}.${EXT[format]}`);
  });

  it('is the same on every run', async () => {
    const a = renderGraph(buildView(await load(file)), 'svg');
    const b = renderGraph(buildView(await load(file)), 'svg');
    expect(a).toBe(b);
  });

  it('draws well-formed SVG, with and without volumes', async () => {
    for (const volumes of [false, true]) {
      const svg = renderGraph(buildView(await load(file), { volumes }), 'svg');
      expect(xmlProblems(svg)).toEqual([]);
    }
  });
});

describe('what the graph shows', () => {
  it('names the condition, optional and restart flags on depends_on edges', async () => {
    const text = renderGraph(buildView(await load(CASES.kinds as string)), 'text');
    expect(text).toContain('db [postgres:16]  <- service_healthy, restart: true');
    expect(text).toContain('migrate [busybox:1.36]  <- service_completed_successfully');
    expect(text).toContain('vpn [wireguard:latest]  <- service_started, required: false');
    expect(text).toContain('cache [redis:7]  <- service_started, links');
    expect(text).toContain('metrics [exporter:2; network_mode service:vpn]');
  });

  it('keeps only the named services and what they need', async () => {
    const view = buildView(await load(CASES.quickstart as string), { services: ['api'] });
    expect(view.services.map((s) => s.name).sort()).toEqual(['api', 'cache', 'store']);
    expect(view.networks.map((n) => n.name)).toEqual(['back', 'front']);
  });

  it('rejects an unknown service', async () => {
    const p = await load(CASES.quickstart as string);
    expect(() => buildView(p, { services: ['nope'] })).toThrow(UsageError);
  });

  it('draws a multi-network service once, joined to each network', async () => {
    const dot = renderGraph(buildView(await load(CASES.quickstart as string)), 'dot');
    expect(dot.match(/^\s*"api" \[label=/gm)).toHaveLength(1);
    expect(dot).toContain('"api" -> "net:back" [lhead=cluster_net_back');
    expect(dot).toContain('"api" -> "net:front" [lhead=cluster_net_front');
  });

  it('picks the format from --format, else the -o extension', () => {
    expect(graphFormat(undefined, 'g.svg')).toBe('svg');
    expect(graphFormat(undefined, 'g.MMD')).toBe('mermaid');
    expect(graphFormat('dot', 'g.svg')).toBe('dot');
    expect(graphFormat(undefined, undefined)).toBe('text');
    expect(() => graphFormat('png', undefined)).toThrow(UsageError);
  });
});
