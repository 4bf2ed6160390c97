// Issue 9 through the binary: a recreated service keeps its address, and its name answers at once.
import { afterEach, describe, expect, it } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { cmp, pollUntil, projectDir } from './helpers.js';

const COMPOSE = `
x-host: &host
  x-cmp:
    host_rootfs: true
  init: true
services:
  a:
    <<: *host
    command: ['sleep', 'infinity']
  b:
    <<: *host
    command: ['sh', '-c', 'mkdir -p /tmp/srv && echo "I am b" > /tmp/srv/index.html && exec busybox httpd -f -p 80 -h /tmp/srv']
`;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
  await assertNoLeaks();
});

async function addressOfB(dir: string, project: string): Promise<string> {
  const r = await cmp(
    ['-p', project, 'exec', '-T', 'b', 'busybox', 'ip', '-4', '-o', 'addr', 'show', 'eth0'],
    {
      cwd: dir,
    },
  );
  expect(r.code, r.stderr).toBe(0);
  const m = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(r.stdout);
  if (!m?.[1]) throw new Error(`no address in: ${r.stdout}`);
  return m[1];
}

describe('sticky addresses across a recreate', () => {
  it('keeps b at its address after up -d --force-recreate b, and a finds it by name at once', async () => {
    const { dir, name } = projectDir(COMPOSE);
    cleanups.push(() => cmp(['-p', name, 'down', '-v', '-t', '1'], { cwd: dir }));
    const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    const before = await addressOfB(dir, name);

    const again = await cmp(['-p', name, 'up', '-d', '--force-recreate', 'b'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(await addressOfB(dir, name)).toBe(before);

    const lookup = await cmp(['-p', name, 'exec', '-T', 'a', 'busybox', 'nslookup', 'b'], { cwd: dir });
    expect(lookup.code, lookup.stderr).toBe(0);
    expect(
      lookup.stdout
        .split(/Name:\s/)
        .slice(1)
        .join('\n'),
    ).toContain(before);
    // httpd may need a moment to bind after the start; the address and the name are right already.
    const page = await pollUntil('b to answer a by name', async () => {
      const r = await cmp(['-p', name, 'exec', '-T', 'a', 'busybox', 'wget', '-q', '-O', '-', 'http://b/'], {
        cwd: dir,
      });
      return r.code === 0 && r.stdout.includes('I am b') ? r.stdout : undefined;
    });
    expect(page).toContain('I am b');

    const down = await cmp(['-p', name, 'down', '-v', '-t', '1'], { cwd: dir });
    expect(down.code, down.stderr).toBe(0);
  });
});
