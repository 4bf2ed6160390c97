// Drives the ink progress view in a real terminal (a private tmux server) and reads the screen.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { run, tryRun } from '../../../src/util/exec.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/tty-demo.mjs', import.meta.url));
const events = fileURLToPath(new URL('./fixtures/up-events.json', import.meta.url));
const socket = `cmp-ui-test-${process.pid}`;
let workDir: string | undefined;

const tmux = (args: string[]) => run('tmux', ['-u', '-L', socket, '-f', '/dev/null', ...args]);

async function screenWhen(ok: (screen: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = (await tmux(['capture-pane', '-p', '-t', 'ui'])).stdout;
    if (ok(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
}

afterEach(async () => {
  await tryRun('tmux', ['-L', socket, 'kill-server']);
  // The server leaves its socket file behind.
  rmSync(join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {
    force: true,
  });
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

describe('tty progress in a terminal', () => {
  it('shows one line per resource with spinners, pull bytes, states and elapsed times', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'cmp-ui-'));
    const go = join(workDir, 'go');
    // ink renders only the last frame under CI; this test is about the live view, so it runs without CI.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${fixture} ${join(root, 'dist')} ${events} ${go}`;
    await tmux(['new-session', '-d', '-s', 'ui', '-x', '120', '-y', '30', command]);

    const row = (screen: string, name: string): string =>
      screen.split('\n').find((l) => l.includes(name)) ?? '';
    // The last event before the pause: once it shows, the screen holds the whole first half.
    const mid = await screenWhen((s) => /✔ Container demo-migrate-1\s+Started/.test(s), 'the live view');
    expect(mid).toContain('[+] Running');
    expect(row(mid, 'Network demo_default')).toMatch(/✔ Network demo_default\s+Created\s+\d+\.\ds$/);
    expect(row(mid, 'Container demo-db-1')).toMatch(/✔ Container demo-db-1\s+Started\s+\d+\.\ds$/);
    expect(row(mid, 'Container demo-web-1')).toMatch(
      /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Container demo-web-1\s+Waiting for db \(service_healthy\)\s+\d+\.\ds$/,
    );
    expect(row(mid, 'Image docker.io/library/nginx:1')).toMatch(
      /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Image docker.io\/library\/nginx:1\s+Pulling \[====>\s+\] 2\.5MB\/10\.0MB\s+\d+\.\ds$/,
    );

    writeFileSync(go, '');
    const end = await screenWhen((s) => s.includes('fixture: done'), 'the final frame');
    expect(end).toContain('[+] Done 7/7');
    expect(row(end, 'Container demo-web-1')).toMatch(/✔ Container demo-web-1\s+Started\s+\d+\.\ds$/);
    expect(row(end, 'Container demo-db-1')).toMatch(/✔ Container demo-db-1\s+Healthy\s+\d+\.\ds$/);
    expect(row(end, 'Container demo-migrate-1')).toMatch(/✔ Container demo-migrate-1\s+Exited\s+\d+\.\ds$/);
    expect(row(end, 'Image docker.io/library/nginx:1')).toMatch(
      /✔ Image docker.io\/library\/nginx:1\s+Pulled\s+\d+\.\ds$/,
    );
    // The final frame replaced the live one: each resource appears once.
    expect(end.split('\n').filter((l) => l.includes('Container demo-web-1'))).toHaveLength(1);
    expect(end).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });
});
