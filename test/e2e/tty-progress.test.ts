// The live progress view as the installed `cmp` shows it on a terminal (driven through tmux): the bundle
// loads it as a separate ES module (ink), so this is checked through the real binary, not only from dist/.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CMP_BIN, cleanupAfterEach, pollUntil, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();

describe('cmp up on a terminal', () => {
  it('draws one line per resource with its mark and a Done header', async () => {
    const { dir } = projectDir(`
services:
  db:
    x-cmp: {host_rootfs: true}
    command: ['sleep', '60']
  web:
    x-cmp: {host_rootfs: true}
    command: ['sleep', '60']
    depends_on: [db]
`);
    const name = `ttyview${randomBytes(3).toString('hex')}`;
    downAfter(dir, name);
    const session = `cmp-ttyview-${randomBytes(3).toString('hex')}`;
    // CI in the environment would make `auto` choose plain lines; the view is asked for by name.
    const script = `cd ${dir} && env -u CI node ${CMP_BIN} -p ${name} --progress tty up -d; echo "exit:$?"; sleep 60`;
    expect(
      spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '20', script]).status,
    ).toBe(0);
    later(async () => spawnSync('tmux', ['kill-session', '-t', session]));
    const pane = (): string => spawnSync('tmux', ['capture-pane', '-p', '-t', session]).stdout.toString();
    const shown = await pollUntil(
      'the finished view',
      async () => (pane().includes('exit:') ? pane() : undefined),
      20_000,
    );
    expect(shown).toContain('exit:0');
    expect(shown).toMatch(/\[\+\] Done 3\/3/);
    expect(shown).toMatch(new RegExp(`✔ +Network ${name}_default +Created`));
    expect(shown).toMatch(new RegExp(`✔ +Container ${name}-db-1 +Started`));
    expect(shown).toMatch(new RegExp(`✔ +Container ${name}-web-1 +Started`));
  });
});
