// After a host reboot /run is empty and every process, namespace, link and mount is gone, while the records
// under the state root remain. The test takes exactly that away from one project (its supervisor, its
// containers' conmon and processes, runc's records and bundles, namespaces, bridge and veths, the project's
// run dir) and checks that `cmp up -d` brings the same containers back, reachable by name, with no leaks.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bridgeName } from '../../src/runtime/embedded/net/names.js';
import { simulateReboot } from '../setup/reboot.js';
import { cleanupAfterEach, cmp, projectDir, psJson } from './helpers.js';

const { downAfter } = cleanupAfterEach();

interface PsRow {
  ID: string;
  Service: string;
  State: string;
}

function ps(dir: string, project: string): Promise<PsRow[]> {
  return psJson<PsRow>(dir, project);
}

describe('after a host reboot', () => {
  it('up -d brings the same containers back, reachable by name, and down leaves nothing', async () => {
    const { dir } = projectDir(`
services:
  db:
    x-cmp:
      host_rootfs: true
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  web:
    x-cmp:
      host_rootfs: true
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: [db]
`);
    const name = `reboot${randomBytes(3).toString('hex')}`;
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
    const before = await ps(dir, name);
    expect(before.map((r) => r.State)).toEqual(['running', 'running']);
    const bridge = bridgeName(`${name}_default`);
    expect(existsSync(`/sys/class/net/${bridge}`)).toBe(true);

    simulateReboot(
      name,
      before.map((r) => r.ID),
      bridge,
    );
    expect((await ps(dir, name)).map((r) => r.State)).toEqual(['exited', 'exited']);

    const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const after = await ps(dir, name);
    // The same containers (not recreated), running again.
    expect(after.map((r) => r.ID).sort()).toEqual(before.map((r) => r.ID).sort());
    expect(after.map((r) => r.State)).toEqual(['running', 'running']);
    const lookup = await cmp(['-p', name, 'exec', '-T', 'web', 'getent', 'hosts', 'db'], { cwd: dir });
    expect(lookup.code).toBe(0);
    expect(lookup.stdout).toMatch(/^\d+\.\d+\.\d+\.\d+\s+db/);
  });
});
