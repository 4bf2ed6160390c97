// Behaviour scripts depend on, checked against what `docker compose` v2.26 does with the same file (issue 20):
// the outcome and the wording of the errors a user sees.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
`;

const { downAfter } = cleanupAfterEach();

function inProject(dir: string, name: string) {
  return (args: string[]) => cmp(['-p', name, ...args], { cwd: dir });
}

describe('services that join another service', () => {
  it('network_mode service:X and volumes_from X come up on a fresh up, and fail like compose once X is gone', async () => {
    const { dir, name } = projectDir(`${HOST}
services:
  db:
    <<: *host
    command: ['sh', '-c', 'echo from-db > /data/mark; exec sleep 1000']
    init: true
    volumes: [data:/data]
  app:
    <<: *host
    network_mode: service:db
    command: ['sleep', '1000']
    init: true
  reader:
    <<: *host
    volumes_from: [db]
    command: ['sleep', '1000']
    init: true
volumes:
  data: {}
`);
    downAfter(dir, name);
    const c = inProject(dir, name);
    const up = await c(['up', '-d']);
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const netns = async (svc: string) =>
      (await c(['exec', '-T', svc, 'readlink', '/proc/self/ns/net'])).stdout.trim();
    const dbNs = await netns('db');
    expect(dbNs).toMatch(/^net:\[\d+\]$/);
    expect(await netns('app')).toBe(dbNs);
    const mark = await c(['exec', '-T', 'reader', 'cat', '/data/mark']);
    expect(mark.stdout.trim()).toBe('from-db');

    // A restarted provider has a new namespace: the joiner, restarted after it, follows it.
    expect((await c(['restart', '-t', '1', 'db'])).code).toBe(0);
    expect((await c(['restart', '-t', '1', 'app'])).code).toBe(0);
    expect(await netns('app')).toBe(await netns('db'));

    expect((await c(['rm', '-s', '-f', 'db'])).code).toBe(0);
    const app = await c(['up', '--no-deps', '-d', 'app']);
    expect(app.code).not.toBe(0);
    expect(app.stderr).toContain('cannot share network namespace with service db: container missing');
    expect(app.stderr).not.toMatch(/netns/);
    const reader = await c(['up', '--no-deps', '-d', 'reader']);
    expect(reader.code).not.toBe(0);
    expect(reader.stderr).toContain('cannot share volume with service db: container missing');
  });
});
