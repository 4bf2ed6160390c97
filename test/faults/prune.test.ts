// What removed containers, projects and networks leave behind over time, made by hand as an older cmp or
// a crash would have left it, and `cmp system prune` taking it away: a folder with only an empty exits/,
// a conmon socket link to nothing, a gone project's run folder with its supervisor log, and the address
// memory of a network that no longer exists.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_ROOT, STATE_ROOT } from './private-root.js';
import { cleanupAfterEach, cmp } from '../e2e/helpers.js';

cleanupAfterEach();

describe('cmp system prune', () => {
  it('removes dead sockets, empty container folders, gone projects and their network memory', async () => {
    const id = 'ab'.repeat(32);
    mkdirSync(join(STATE_ROOT, 'containers', id, 'exits'), { recursive: true });
    mkdirSync(join(RUN_ROOT, 'sock'), { recursive: true });
    symlinkSync(join(RUN_ROOT, 'containers', id), join(RUN_ROOT, 'sock', id));
    mkdirSync(join(RUN_ROOT, 'goneproj'), { recursive: true });
    writeFileSync(join(RUN_ROOT, 'goneproj', 'supervisor.log'), 'old\n');
    mkdirSync(join(STATE_ROOT, 'networks'), { recursive: true });
    const memory = join(STATE_ROOT, 'networks', 'memory.json');
    writeFileSync(
      memory,
      JSON.stringify({ subnets: { goneproj_default: '10.99.0.0/24' }, addresses: { goneproj_default: {} } }),
    );

    const r = await cmp(['system', 'prune'], { cwd: tmpdir() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`removed broken container ${id}`);
    expect(r.stdout).toContain('goneproj');
    expect(existsSync(join(STATE_ROOT, 'containers', id))).toBe(false);
    expect(existsSync(join(RUN_ROOT, 'sock', id))).toBe(false);
    expect(existsSync(join(RUN_ROOT, 'goneproj'))).toBe(false);
    expect(JSON.parse(readFileSync(memory, 'utf8'))).toEqual({ subnets: {}, addresses: {} });

    // Nothing left to prune the second time.
    expect((await cmp(['system', 'prune'], { cwd: tmpdir() })).stdout).toBe('');
  });
});
