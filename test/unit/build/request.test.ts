import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildError } from '../../../src/build/errors.js';
import { buildRequest } from '../../../src/build/request.js';
import type { Project, Service } from '../../../src/model/types.js';
import { withPositionsOf } from '../../fakes/positions.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

function setup(yaml: string, build: Record<string, unknown>): { project: Project; service: Service } {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-build-req-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM busybox\n');
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  const service = { build: { context: join(dir, 'app'), ...build } } as unknown as Service;
  const project = {
    name: 'p',
    working_dir: dir,
    config_files: [join(dir, 'compose.yaml')],
    secrets: {},
    services: { web: service },
  } as unknown as Project;
  return { project: withPositionsOf(project, join(dir, 'compose.yaml')), service };
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BuildError) return e.format().replace(/^.*compose\.yaml/, 'compose.yaml');
    throw e;
  }
  throw new Error('no error');
}

describe('the build section as a request', () => {
  it('turns the keys it supports into the executor options, --build-arg over args', async () => {
    const { project, service } = setup('services: {}\n', {
      args: { A: '1', B: null, C: '3' },
      extra_hosts: { db: '10.0.0.2' },
      network: 'none',
      shm_size: 1024,
    });
    const r = await buildRequest(
      project,
      'web',
      service,
      { buildArgs: { C: 'cli' } },
      { B: 'env' },
      'linux/amd64',
    );
    expect(r.args).toEqual({ A: '1', B: 'env', C: 'cli' });
    expect(r.extraHosts).toEqual(['db:10.0.0.2']);
    expect(r.network).toBe('none');
    expect(r.shmSize).toBe('1024b');
    expect(r.dockerfileText).toBe('FROM busybox\n');
  });

  it('refuses keys it cannot honour with an error at their line in the compose file', async () => {
    const yaml = 'services:\n  web:\n    build:\n      context: ./app\n      cache_from: [x]\n';
    const { project, service } = setup(yaml, { cache_from: ['x'] });
    expect(await errorOf(buildRequest(project, 'web', service, {}, {}, 'linux/amd64'))).toBe(
      "compose.yaml:5:7: build.cache_from is not supported by cmp's builder (see docs/build.md)",
    );
  });

  it('refuses another platform and a network other than host or none', async () => {
    const yaml = 'services:\n  web:\n    build:\n      context: ./app\n      platforms: [linux/arm64]\n';
    const a = setup(yaml, { platforms: ['linux/arm64'] });
    expect(await errorOf(buildRequest(a.project, 'web', a.service, {}, {}, 'linux/amd64'))).toBe(
      'compose.yaml:5:7: build.platforms: cmp builds for this host only (linux/amd64)',
    );
    const b = setup('services: {}\n', { network: 'backend' });
    expect(await errorOf(buildRequest(b.project, 'web', b.service, {}, {}, 'linux/amd64'))).toMatch(
      /build\.network backend: a build can use the host's network or none$/,
    );
  });
});
