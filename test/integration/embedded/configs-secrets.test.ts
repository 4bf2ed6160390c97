// configs, secrets and extra_hosts host-gateway on the embedded runtime, against the kernel (runc, conmon,
// overlayfs, as root): what the process in the container finds at the targets.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConfigOrSecret, Project } from '../../../src/model/types.js';
import type { NetworkBackend } from '../../../src/runtime/embedded/net/types.js';
import { EmbeddedRuntime, HOST_ROOTFS_IMAGE } from '../../../src/runtime/embedded/runtime.js';
import type {
  ContainerCreateRequest,
  ContainerNetworkState,
  NetworkAttachRequest,
} from '../../../src/runtime/types.js';
import { isCmpError } from '../../../src/util/errors.js';
import { NetNone } from '../../fakes/net-none.js';
import { assertNoLeaks } from '../../setup/leaks.js';
import { BUSYBOX_REF, busyboxSource, makeBusyboxLayer } from './helpers/busybox-image.js';
import { project, request } from './helpers/request.js';
import { removeAll, restoreRoots, saveRoots, useRootsIn } from './helpers/roots.js';
import { withPositionsOf } from '../../fakes/positions.js';

const tmp = mkdtempSync(join(tmpdir(), 'cmp-cfgsec-'));
const layer = makeBusyboxLayer(join(tmp, 'layer'));
const source = busyboxSource(layer);
const PROJECT = 'cmpcfgsec';
const GATEWAY = '10.89.0.1';
const saved = saveRoots();

/** NetNone, except that each network has a gateway, as the real bridge layer reports it. */
class NetWithGateway extends NetNone implements NetworkBackend {
  override async attach(
    _s: Parameters<NetNone['attach']>[0],
    req: NetworkAttachRequest,
  ): Promise<ContainerNetworkState> {
    return { network: req.network, aliases: req.aliases, gateway: GATEWAY };
  }
}

let rt: EmbeddedRuntime;

async function busybox() {
  const info = await source.inspect(BUSYBOX_REF);
  if (!info) throw new Error('no test image');
  return info;
}

async function runToEnd(req: ContainerCreateRequest): Promise<{ code: number; lines: string[] }> {
  const st = await rt.createContainer(req);
  await rt.startContainer(st.id);
  const code = await rt.waitContainer(st.id);
  const lines: string[] = [];
  for await (const l of rt.logs(st.id, { follow: false })) lines.push(l.line);
  return { code, lines };
}

function withFiles(
  p: Project,
  configs: Record<string, Partial<ConfigOrSecret>>,
  secrets: Record<string, Partial<ConfigOrSecret>>,
): Project {
  for (const [k, v] of Object.entries(configs)) p.configs[k] = { name: `${p.name}_${k}`, ...v };
  for (const [k, v] of Object.entries(secrets)) p.secrets[k] = { name: `${p.name}_${k}`, ...v };
  return p;
}

beforeAll(() => {
  useRootsIn(tmp);
  rt = new EmbeddedRuntime(source, new NetWithGateway());
});

afterEach(async () => {
  vi.restoreAllMocks();
  await removeAll(rt, PROJECT);
  // The files cmp wrote for content sources went with their containers.
  expect(readdirSync(join(tmp, 'state', 'containers'))).toEqual([]);
  await assertNoLeaks();
});

afterAll(async () => {
  try {
    await assertNoLeaks();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    restoreRoots(saved);
    delete process.env.CMP_TEST_SECRET;
  }
});

describe('configs and secrets on the embedded runtime', () => {
  it('content and environment sources land at their targets, read-only, with their uid, gid and mode', async () => {
    const envFile = join(tmp, 'project.env');
    writeFileSync(envFile, 'FROM_DOTENV=dotenv-value\nCMP_TEST_SECRET=loses-to-the-process\n');
    process.env.CMP_TEST_SECRET = 's3cret';
    const p = withFiles(
      project(PROJECT),
      { app: { content: 'listen 80\n' } },
      { token: { environment: 'CMP_TEST_SECRET' }, dot: { environment: 'FROM_DOTENV' } },
    );
    p.env_files = [envFile];
    const r = await runToEnd(
      request(p, 'web', await busybox(), {
        configs: [
          { source: 'app' },
          { source: 'app', target: '/etc/app.conf', uid: '1000', gid: '2000', mode: 0o440 },
        ],
        secrets: [{ source: 'token' }, { source: 'dot', target: 'nested/dot', mode: 0o400, uid: '1000' }],
        command: [
          'sh',
          '-c',
          'cat /app /etc/app.conf; cat /run/secrets/token; echo; cat /run/secrets/nested/dot; echo; ' +
            'stat -c "%n %u %g %a" /app /etc/app.conf /run/secrets/token /run/secrets/nested/dot; ' +
            '(echo x > /etc/app.conf) 2>/dev/null || echo read-only',
        ],
      }),
    );
    expect(r.lines).toEqual([
      'listen 80',
      'listen 80',
      's3cret',
      'dotenv-value',
      '/app 0 0 444',
      '/etc/app.conf 1000 2000 440',
      '/run/secrets/token 0 0 444',
      '/run/secrets/nested/dot 1000 0 400',
      'read-only',
    ]);
    expect(r.code).toBe(0);
  });

  it('a file source is bound as it is: host edits show, uid/gid/mode are ignored with a warning', async () => {
    const file = join(tmp, 'ca.pem');
    writeFileSync(file, 'first\n');
    chmodSync(file, 0o640);
    const warnings: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    });
    const p = withFiles(project(PROJECT), { conf: { file } }, { ca: { file } });
    const st = await rt.createContainer(
      request(p, 'filed', await busybox(), {
        configs: [{ source: 'conf', target: '/srv/conf.pem' }],
        secrets: [{ source: 'ca', mode: 0o400, uid: '5' }],
        command: ['sh', '-c', 'cat /run/secrets/ca /srv/conf.pem; stat -c "%a" /run/secrets/ca'],
      }),
    );
    writeFileSync(file, 'second\n');
    await rt.startContainer(st.id);
    expect(await rt.waitContainer(st.id)).toBe(0);
    const lines: string[] = [];
    for await (const l of rt.logs(st.id, { follow: false })) lines.push(l.line);
    expect(lines).toEqual(['second', 'second', '640']);
    expect(warnings).toEqual([
      'WARN service "filed": secret "ca": uid, gid and mode are not supported for a file source, they are ignored\n',
    ]);
  });

  it('a host-rootfs service gets a config at /etc/app.conf and a secret under /run/secrets; the host /etc is untouched', async () => {
    const target = '/etc/cmp-test-app.conf';
    expect(existsSync(target)).toBe(false);
    const p = withFiles(
      project(PROJECT),
      { app: { content: 'mode=host\n' } },
      { pw: { content: 'hunter2' } },
    );
    const r = await runToEnd(
      request(p, 'tool', HOST_ROOTFS_IMAGE, {
        'x-cmp': { host_rootfs: true },
        configs: [{ source: 'app', target }],
        secrets: [{ source: 'pw' }],
        command: [
          '/bin/sh',
          '-c',
          `cat ${target}; cat /run/secrets/pw; echo; test -f /etc/debian_version && echo host-etc; ` +
            'touch /etc/x 2>/dev/null || echo etc-ro',
        ],
      }),
    );
    expect(r.lines).toEqual(['mode=host', 'hunter2', 'host-etc', 'etc-ro']);
    expect(r.code).toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses external, unset-environment and missing-file sources with located errors, leaving nothing behind', async () => {
    const compose = join(tmp, 'compose.yaml');
    writeFileSync(
      compose,
      [
        'services:',
        '  x:',
        '    image: busybox',
        '    secrets: [ext]',
        'secrets:',
        '  ext:',
        '    external: true',
        '  unset:',
        '    environment: CMP_TEST_NOT_SET',
        '  gone:',
        '    file: ./gone.txt',
        '',
      ].join('\n'),
    );
    const p = withFiles(
      project(PROJECT),
      {},
      {
        ext: { external: true },
        unset: { environment: 'CMP_TEST_NOT_SET' },
        gone: { file: join(tmp, 'gone.txt') },
      },
    );
    p.config_files = [compose];
    withPositionsOf(p, compose);
    const failure = async (secret: string): Promise<string> => {
      const e: unknown = await rt
        .createContainer(
          request(p, 'x', await busybox(), { secrets: [{ source: secret }], command: ['true'] }),
        )
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      if (!isCmpError(e)) throw new Error(`expected a cmp error, got ${String(e)}`);
      return e.format();
    };
    expect(await failure('ext')).toBe(
      `${compose}:7:5: service "x": secret "ext": external secrets need Docker Swarm; there is none ` +
        'on the embedded runtime (give it a file:, environment: or content: source)',
    );
    expect(await failure('unset')).toBe(
      `${compose}:9:5: service "x": secret "unset": environment variable CMP_TEST_NOT_SET is not set ` +
        '(set it in the environment or in .env)',
    );
    expect(await failure('gone')).toBe(
      `${compose}:11:5: service "x": secret "gone": file does not exist: ${join(tmp, 'gone.txt')} ` +
        '(create it, or fix the path)',
    );
    expect(await rt.listContainers(PROJECT, { all: true })).toEqual([]);
  });
});

describe('extra_hosts host-gateway on the embedded runtime', () => {
  const hostsOf = async (name: string, extra: Parameters<typeof request>[3]): Promise<string[]> => {
    const r = await runToEnd(
      request(project(PROJECT), name, await busybox(), {
        extra_hosts: ['host.docker.internal:host-gateway', 'db=10.1.2.3'],
        command: ['sh', '-c', 'grep -E "host.docker.internal|db" /etc/hosts || true'],
        ...extra,
      }),
    );
    expect(r.code).toBe(0);
    return r.lines;
  };

  it("is the gateway of the container's first network", async () => {
    expect(await hostsOf('bridged', {})).toEqual([`${GATEWAY}\thost.docker.internal`, '10.1.2.3\tdb']);
  });

  it('is loopback with network_mode host, where the container is on the host stack', async () => {
    expect(await hostsOf('hosted', { network_mode: 'host', networks: {} })).toEqual([
      '127.0.0.1\thost.docker.internal',
      '10.1.2.3\tdb',
    ]);
  });

  it('is left out, with a warning, with network_mode none', async () => {
    const warnings: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    });
    expect(await hostsOf('isolated', { network_mode: 'none', networks: {} })).toEqual(['10.1.2.3\tdb']);
    expect(warnings).toEqual([
      'WARN service "isolated": extra_hosts host-gateway: the container has no network that reaches the ' +
        'host, so the name is left out of /etc/hosts\n',
    ]);
  });
});
