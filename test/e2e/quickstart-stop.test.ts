// The quickstart goes down by SIGTERM, not by the grace period's SIGKILL (issue #16): its PID 1s were
// `sh` and `busybox httpd`, which ignore SIGTERM as PID 1, so every stop tier waited 10 s and killed
// (exit 137). With `init: true` each container exits on the SIGTERM (143) or cleanly (0). No timing is
// asserted: the exit codes say which signal ended each container.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, exampleCopy, psJson } from './helpers.js';

const { downAfter } = cleanupAfterEach();

describe('examples/quickstart', () => {
  it('lints clean of PID 1 signal warnings', async () => {
    const dir = exampleCopy('quickstart');
    const lint = await cmp(['lint', '--format', 'json'], { cwd: dir });
    expect(lint.code).toBe(0);
    const { findings } = JSON.parse(lint.stdout) as { findings: Array<{ rule: string }> };
    expect(findings.filter((f) => f.rule === 'pid1-shell-signals')).toEqual([]);
  });

  it('stops every container with SIGTERM, none is killed after the grace period', async () => {
    const dir = exampleCopy('quickstart');
    // Its own project name and no host port, so it cannot collide with another quickstart on this host.
    writeFileSync(join(dir, 'no-ports.yaml'), 'services:\n  web:\n    ports: !reset []\n');
    const name = `qsstop${randomBytes(3).toString('hex')}`;
    const args = ['-p', name, '-f', 'compose.yaml', '-f', 'no-ports.yaml'];
    downAfter(dir, name);
    const up = await cmp([...args, 'up', '-d', '--wait'], { cwd: dir });
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const stop = await cmp([...args, 'stop'], { cwd: dir, timeoutMs: 120_000 });
    expect(stop.code).toBe(0);
    const rows = await psJson<{ Service: string; State: string; ExitCode: number }>(dir, name);
    expect(rows.map((r) => r.Service).sort()).toEqual(['api', 'cache', 'store', 'web']);
    for (const r of rows) {
      expect(r.State, r.Service).toBe('exited');
      expect([0, 143], `${r.Service} exit code`).toContain(r.ExitCode);
    }
  });
});
