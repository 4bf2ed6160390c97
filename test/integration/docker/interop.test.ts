// docker-compose (Debian's v1) and cmp's docker driver see each other's containers through the compose labels.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../src/runtime/docker/runtime.js';
import { LABEL } from '../../../src/runtime/types.js';
import { run } from '../../../src/util/exec.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd } from '../../setup/dockerd.js';
import { createRequest, makeProject, projectName, service } from './fixtures.js';

const rt = new DockerRuntime({ connection: { socketPath: '/var/run/docker.sock' } });
const OURS = projectName('cmpio');
const THEIRS = projectName('cmpiv');
let dir: string;
let composeFile: string;

function compose(project: string, ...args: string[]): Promise<{ stdout: string }> {
  return run('docker-compose', ['-p', project, '-f', composeFile, ...args], {
    env: { DOCKER_HOST: 'unix:///var/run/docker.sock', COMPOSE_INTERACTIVE_NO_CLI: '1' },
  });
}

async function removeAll(project: string): Promise<void> {
  for (const c of await rt.listContainers(project, { all: true }))
    await rt.removeContainer(c.id, { force: true, volumes: true });
  for (const n of await rt.listNetworks(project)) await rt.removeNetwork(n.name);
  for (const v of await rt.listVolumes(project)) await rt.removeVolume(v.name);
}

beforeAll(async () => {
  await ensureDockerd();
  await ensureBusyboxImage();
  dir = await mkdtemp(join(tmpdir(), 'cmp-interop-'));
  composeFile = join(dir, 'docker-compose.yml');
  await writeFile(
    composeFile,
    `services:\n  app:\n    image: ${BUSYBOX_IMAGE}\n    command: ["sleep", "3600"]\n    init: true\n    stop_grace_period: 1s\n`,
  );
});

afterAll(async () => {
  await removeAll(OURS).catch(() => undefined);
  await removeAll(THEIRS).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('docker-compose v1 interop', () => {
  it('docker-compose ps lists a container cmp created', async () => {
    const image = await rt.ensureImage(BUSYBOX_IMAGE, 'never');
    const project = makeProject(OURS, ['default'], [], {
      app: service({ command: ['sleep', '3600'], init: true, networks: { default: null } }),
    });
    await rt.createNetwork({
      name: `${OURS}_default`,
      key: 'default',
      project: OURS,
      labels: {},
      config: { name: `${OURS}_default` },
    });
    const c = await rt.createContainer(createRequest(project, 'app', image));
    await rt.startContainer(c.id);

    const ids = (await compose(OURS, 'ps', '-q')).stdout.trim().split('\n');
    expect(ids).toEqual([c.id]);
    const table = (await compose(OURS, 'ps')).stdout;
    expect(table).toContain(`${OURS}-app-1`);
    expect(table).toMatch(/\bUp\b/);
  });

  it('cmp lists a stack docker-compose up made, under the same project and service labels', async () => {
    await compose(THEIRS, 'up', '-d');
    const list = await rt.listContainers(THEIRS, { all: true });
    expect(list).toHaveLength(1);
    const [c] = list;
    expect(c?.labels[LABEL.service]).toBe('app');
    expect(c?.labels[LABEL.number]).toBe('1');
    expect(c?.labels[LABEL.oneoff]).toBe('False');
    expect(c?.status).toBe('running');
    // v1 joins the name parts with `_`; compose v2 and cmp with `-`.
    expect(c?.name).toBe(`${THEIRS}_app_1`);
    expect((await rt.listNetworks(THEIRS)).map((n) => n.labels[LABEL.network])).toEqual(['default']);

    await compose(THEIRS, 'down', '-v', '-t', '1');
    expect(await rt.listContainers(THEIRS, { all: true })).toEqual([]);
  });

  it('leaves nothing labelled with either project', async () => {
    await removeAll(OURS);
    for (const p of [OURS, THEIRS]) {
      expect(await rt.listContainers(p, { all: true })).toEqual([]);
      expect(await rt.listNetworks(p)).toEqual([]);
      expect(await rt.listVolumes(p)).toEqual([]);
    }
  });
});
