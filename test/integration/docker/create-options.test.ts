// What the engine records for a service with many attributes set: the mapping as a user sees it in inspect.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../src/runtime/docker/runtime.js';
import type { Project } from '../../../src/model/types.js';
import type { ImageInfo } from '../../../src/runtime/types.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd, testDocker } from '../../setup/dockerd.js';
import { createRequest, makeProject, projectName, service } from './fixtures.js';

const rt = new DockerRuntime({ connection: { socketPath: '/var/run/docker.sock' } });
const P = projectName('cmpdo');
let image: ImageInfo;
let project: Project;
let hostDir: string;

beforeAll(async () => {
  await ensureDockerd();
  await ensureBusyboxImage();
  image = await rt.ensureImage(BUSYBOX_IMAGE, 'never');
  hostDir = await mkdtemp(join(tmpdir(), 'cmp-docker-opts-'));
  process.env.CMP_TEST_PASSED = 'from-host';
  project = makeProject(P, ['default'], [], {
    rich: service({
      entrypoint: [],
      command: ['sleep', '3600'],
      environment: { SET: 'yes', PASSED: null, CMP_TEST_PASSED: null },
      labels: { 'x.custom': 'kept' },
      user: '0:0',
      working_dir: '/tmp',
      hostname: 'richhost',
      init: true,
      restart: 'on-failure:3',
      deploy: { restart_policy: { condition: 'any' } },
      healthcheck: {
        test: ['CMD', 'true'],
        interval: '1500ms',
        timeout: '2s',
        retries: 4,
        start_period: '1s',
      },
      cpus: 0.5,
      mem_limit: 64 * 1024 * 1024,
      pids_limit: 100,
      shm_size: 8 * 1024 * 1024,
      ulimits: { nofile: { soft: 1024, hard: 2048 } },
      cap_add: ['NET_ADMIN'],
      cap_drop: ['MKNOD'],
      extra_hosts: ['somehost=10.1.2.3'],
      dns_search: ['example.test'],
      stop_signal: 'SIGUSR1',
      stop_grace_period: '3s',
      tmpfs: ['/scratch:size=1m'],
      volumes: [
        {
          type: 'bind',
          source: join(hostDir, 'made-by-engine'),
          target: '/made',
          bind: { create_host_path: true },
        },
        { type: 'volume', target: '/anon' },
        { type: 'tmpfs', target: '/fast', tmpfs: { size: 1048576 } },
      ],
      secrets: [{ source: 'token' }],
      networks: { default: null },
    }),
    joiner: service({ command: ['sleep', '3600'], init: true, network_mode: 'service:rich', networks: {} }),
  });
  project.secrets = { token: { name: `${P}_token`, content: 's3cret' } };
});

afterAll(async () => {
  for (const c of await rt.listContainers(P, { all: true }))
    await rt.removeContainer(c.id, { force: true, volumes: true });
  for (const n of await rt.listNetworks(P)) await rt.removeNetwork(n.name);
  await rm(hostDir, { recursive: true, force: true });
  delete process.env.CMP_TEST_PASSED;
});

describe('container create options', () => {
  it('the engine records the service as compose would set it', async () => {
    await rt.createNetwork({
      name: `${P}_default`,
      key: 'default',
      project: P,
      labels: {},
      config: { name: `${P}_default` },
    });
    const rich = await rt.createContainer(createRequest(project, 'rich', image));
    const info = await testDocker().getContainer(rich.id).inspect();
    const h = info.HostConfig;
    // [] clears the image's entrypoint; the engine keeps it apart from null (the image's).
    expect(info.Config.Entrypoint).toEqual([]);
    expect(info.Config.Cmd).toEqual(['sleep', '3600']);
    expect(info.Config.Env).toEqual(expect.arrayContaining(['SET=yes', 'CMP_TEST_PASSED=from-host']));
    expect(info.Config.Env.some((e) => e.startsWith('PASSED='))).toBe(false);
    expect(info.Config.Labels['x.custom']).toBe('kept');
    expect(info.Config.Hostname).toBe('richhost');
    expect(info.Config.Healthcheck).toEqual({
      Test: ['CMD', 'true'],
      Interval: 1_500_000_000,
      Timeout: 2_000_000_000,
      StartPeriod: 1_000_000_000,
      Retries: 4,
    });
    expect(h.RestartPolicy).toEqual({ Name: 'always', MaximumRetryCount: 0 });
    expect(h.NanoCpus).toBe(500_000_000);
    expect(h.Memory).toBe(64 * 1024 * 1024);
    expect(h.PidsLimit).toBe(100);
    expect(h.ShmSize).toBe(8 * 1024 * 1024);
    expect(h.Ulimits).toEqual([{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
    expect(h.CapAdd).toEqual(['NET_ADMIN']);
    expect(h.CapDrop).toEqual(['MKNOD']);
    expect(h.ExtraHosts).toEqual(['somehost:10.1.2.3']);
    expect(h.DnsSearch).toEqual(['example.test']);
    expect(h.Tmpfs).toEqual({ '/scratch': 'size=1m' });
    expect(h.Init).toBe(true);
    expect((info.Config as { StopSignal?: string }).StopSignal).toBe('SIGUSR1');
    expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(3);

    await rt.startContainer(rich.id);
    const look = async (cmd: string): Promise<string> => {
      let out = '';
      const { Writable } = await import('node:stream');
      const sink = new Writable({
        write(chunk: Buffer, _e, cb) {
          out += chunk.toString();
          cb();
        },
      });
      const code = await rt.exec(
        rich.id,
        { command: ['sh', '-c', cmd], tty: false, interactive: false },
        { stdout: sink },
      );
      expect(code).toBe(0);
      return out.trim();
    };
    expect(await look('cat /run/secrets/token')).toBe('s3cret');
    expect(await look('test -d /made && test -d /anon && grep -c " /fast tmpfs" /proc/mounts')).toBe('1');
    expect(await look('grep somehost /etc/hosts | cut -f1')).toBe('10.1.2.3');

    // network_mode: service:rich joins rich's network namespace: same hostname, same addresses.
    const joiner = await rt.createContainer(createRequest(project, 'joiner', image));
    const joinerInfo = await testDocker().getContainer(joiner.id).inspect();
    expect(joinerInfo.HostConfig.NetworkMode).toBe(`container:${rich.id}`);
    await rt.startContainer(joiner.id);
    const hostnameIn = await rt.exec(
      joiner.id,
      { command: ['sh', '-c', 'test "$(hostname)" = richhost'], tty: false, interactive: false },
      {},
    );
    expect(hostnameIn).toBe(0);
  });

  it('stop with an explicit signal escalates to SIGKILL after the timeout', async () => {
    const [joiner] = (await rt.listContainers(P, { all: false })).filter((c) => c.name.endsWith('-joiner-1'));
    if (!joiner) throw new Error('joiner is not running');
    // SIGWINCH is ignored by default, so only the SIGKILL after the timeout ends the container.
    const started = Date.now();
    await rt.stopContainer(joiner.id, { signal: 'WINCH', timeoutMs: 1000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const s = await rt.inspectContainer(joiner.id);
    expect(s?.status).toBe('exited');
    expect(s?.exitCode).toBe(137);
  });
});
