// The same compose file on the embedded runtime and on a Docker Engine gives the same observable
// results: names and aliases resolve, published ports answer, volumes persist, exit codes come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { busyboxOnBothRuntimes, cmp, httpGet, pollUntil, projectDir } from './helpers.js';

const IMAGE = 'cmp-test/busybox:latest';

const stack = (hostPort: number): string => `
services:
  api:
    image: ${IMAGE}
    command: ['sh', '-c', 'mkdir -p /www && echo api-ok > /www/index.html && exec httpd -f -p 8000 -h /www']
    networks:
      back:
        aliases: [backend]
    healthcheck:
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8000/']
      interval: 1s
      retries: 20
  web:
    image: ${IMAGE}
    command: ['sh', '-c', 'mkdir -p /www && echo web-ok > /www/index.html && exec httpd -f -p 80 -h /www']
    ports: ['127.0.0.1:${hostPort}:80']
    networks: [front, back]
    depends_on:
      api:
        condition: service_healthy
  outsider:
    image: ${IMAGE}
    command: ['sleep', '1000']
    init: true
    networks: [front]
  store:
    image: ${IMAGE}
    command: ['sh', '-c', 'date >> /data/runs; exec sleep 1000']
    init: true
    volumes: [data:/data]
networks:
  front: {}
  back: {}
volumes:
  data: {}
`;

interface Observed {
  alias: string;
  scoped: boolean;
  port: string;
  runsBefore: number;
  runsAfter: number;
  runExit: number;
  execExit: number;
}

async function observe(runtime: string, hostPort: number): Promise<Observed> {
  const { dir, name } = projectDir(stack(hostPort));
  const c = (args: string[]) => cmp(['--runtime', runtime, '-p', name, ...args], { cwd: dir });
  try {
    const up = await c(['up', '-d', '--wait']);
    expect(up.code, up.stderr).toBe(0);
    const alias = await c(['exec', '-T', 'web', 'wget', '-q', '-O', '-', 'http://backend:8000/']);
    // outsider shares no network with api: its alias must not resolve there.
    const scoped = await c(['exec', '-T', 'outsider', 'wget', '-q', '-O', '-', 'http://backend:8000/']);
    const port = await pollUntil('the published port', async () => {
      const text = await httpGet(`http://127.0.0.1:${hostPort}/`);
      return text.trim() || undefined;
    });
    const runs = async (): Promise<number> =>
      Number((await c(['exec', '-T', 'store', 'sh', '-c', 'wc -l < /data/runs'])).stdout.trim());
    const runsBefore = await runs();
    expect((await c(['down', '-t', '1'])).code).toBe(0);
    expect((await c(['up', '-d', '--wait'])).code).toBe(0);
    const runsAfter = await runs();
    const run = await c(['run', '--rm', '-T', '--no-deps', 'store', 'sh', '-c', 'exit 4']);
    const ex = await c(['exec', '-T', 'api', 'sh', '-c', 'exit 6']);
    return {
      alias: alias.stdout.trim(),
      scoped: scoped.code !== 0,
      port,
      runsBefore,
      runsAfter,
      runExit: run.code,
      execExit: ex.code,
    };
  } finally {
    await c(['down', '-v', '-t', '1']);
  }
}

describe('embedded and docker runtimes agree', () => {
  beforeAll(() => busyboxOnBothRuntimes(IMAGE), 120_000);
  afterAll(assertNoLeaks);

  it('on names, scoping, ports, volumes and exit codes', async () => {
    const embedded = await observe('embedded', 18181);
    await assertNoLeaks();
    const docker = await observe('docker', 18182);
    const expected: Observed = {
      alias: 'api-ok',
      scoped: true,
      port: 'web-ok',
      runsBefore: 1,
      runsAfter: 2,
      runExit: 4,
      execExit: 6,
    };
    expect(embedded).toEqual(expected);
    expect(docker).toEqual(expected);
  }, 240_000);
});
