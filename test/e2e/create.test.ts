// `cmp create` (issue #16): listed as a command, it is compose's create, `up --no-start`: networks and
// containers are made, nothing starts; `start` runs them later.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, projectDir, psJson } from './helpers.js';

const { downAfter } = cleanupAfterEach();

describe('cmp create', () => {
  it('creates the containers without starting them; start runs them', async () => {
    const { dir } = projectDir(`
services:
  db:
    x-cmp: { host_rootfs: true }
    command: ['sleep', '1000']
    init: true
  app:
    x-cmp: { host_rootfs: true }
    command: ['sleep', '1000']
    init: true
    depends_on: [db]
`);
    const name = `create${randomBytes(3).toString('hex')}`;
    downAfter(dir, name);
    const created = await cmp(['-p', name, 'create'], { cwd: dir });
    expect(created.stderr).not.toMatch(/error/i);
    expect(created.code).toBe(0);
    const states = async (): Promise<string[]> =>
      (await psJson<{ Service: string; State: string }>(dir, name))
        .map((r) => `${r.Service}:${r.State}`)
        .sort();
    expect(await states()).toEqual(['app:created', 'db:created']);
    expect((await cmp(['-p', name, 'start'], { cwd: dir })).code).toBe(0);
    expect(await states()).toEqual(['app:running', 'db:running']);
    // create again changes nothing that runs, like up --no-start
    expect((await cmp(['-p', name, 'create'], { cwd: dir })).code).toBe(0);
    expect(await states()).toEqual(['app:running', 'db:running']);
  });
});
