// A service whose image comes from a registry (the local test registry, as cmp pulls from any registry):
// pulled on `up`, then run as a real container that sees its own hostname, PID 1, env and mounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { startRegistry, type TestRegistry } from '../setup/registry.js';
import { pushBusybox } from '../setup/images.js';
import { cmp, projectDir } from './helpers.js';

describe('a registry-pulled image on the embedded runtime', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    await pushBusybox(registry, 'e2e/busybox', { tag: '1' });
  }, 60_000);
  afterAll(async () => {
    await registry.stop();
    await assertNoLeaks();
  });

  it('is pulled on up and runs isolated, with its env, hostname, volume and PID 1', async () => {
    const { dir, name } = projectDir(`
services:
  box:
    image: ${registry.host}/e2e/busybox:1
    hostname: boxhost
    command: ['sleep', '1000']
    init: true
    environment:
      GREETING: hello
    volumes: [data:/data]
volumes:
  data: {}
`);
    const c = (args: string[]) => cmp(['-p', name, ...args], { cwd: dir });
    try {
      const up = await c(['up', '-d', '--wait']);
      expect(up.code, up.stderr).toBe(0);
      const ex = (script: string) => c(['exec', '-T', 'box', 'sh', '-c', script]);
      expect((await ex('hostname')).stdout.trim()).toBe('boxhost');
      expect((await ex('echo $GREETING')).stdout.trim()).toBe('hello');
      // PID 1 is the init (tini) cmp runs for init: true; the command is its child.
      expect((await ex('cat /proc/1/cmdline | tr "\\\\0" " "')).stdout).toMatch(/init/);
      expect((await ex('ps -o comm | grep -c sleep')).stdout.trim()).toBe('1');
      expect((await ex('grep " /data " /proc/mounts | wc -l')).stdout.trim()).toBe('1');
      // The container sees only its own processes.
      expect(Number((await ex('ls -d /proc/[0-9]* | wc -l')).stdout.trim())).toBeLessThan(10);
      const images = await c(['images']);
      expect(images.stdout).toContain('e2e/busybox');
    } finally {
      await c(['down', '-v', '-t', '1']);
    }
  });
});
