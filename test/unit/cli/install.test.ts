// The README's set-up must leave `cmp` on the PATH (issue #16): scripts/install.sh links PREFIX/bin/cmp
// to the clone's dist/bin/cmp.js, and demo.sh and test.sh both run it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VERSION } from '../../../src/version.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const INSTALL = join(ROOT, 'scripts/install.sh');

describe('scripts/install.sh', () => {
  it('links PREFIX/bin/cmp to the clone, and that cmp wins over diffutils on the PATH', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'cmp-install-'));
    try {
      // PATH as Debian gives root (ENV_SUPATH), with the temporary prefix where /usr/local/bin stands.
      const path = `${prefix}/bin:/usr/sbin:/usr/bin:/sbin:/bin:${resolve(process.execPath, '..')}`;
      const env = { ...process.env, PREFIX: prefix, PATH: path };
      const res = spawnSync('bash', [INSTALL], { encoding: 'utf8', env });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(realpathSync(join(prefix, 'bin/cmp'))).toBe(realpathSync(join(ROOT, 'dist/bin/cmp.js')));
      const which = spawnSync('bash', ['-c', 'command -v cmp'], { encoding: 'utf8', env });
      expect(which.stdout.trim()).toBe(join(prefix, 'bin/cmp'));
      // from a folder outside the clone, as a user in examples/ or elsewhere
      const outside = mkdtempSync(join(tmpdir(), 'cmp-elsewhere-'));
      const version = spawnSync('cmp', ['version', '--short'], { encoding: 'utf8', env, cwd: outside });
      expect(version.stdout.trim()).toBe(VERSION);
      // and diffutils still answers file comparisons through it
      expect(spawnSync('cmp', ['-s', INSTALL, INSTALL], { env, cwd: outside }).status).toBe(0);
      rmSync(outside, { recursive: true });
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('says so when the link is shadowed by an earlier cmp on the PATH', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'cmp-install-'));
    try {
      const env = { ...process.env, PREFIX: prefix, PATH: `/usr/bin:/bin:${prefix}/bin` };
      const res = spawnSync('bash', [INSTALL], { encoding: 'utf8', env });
      expect(res.status).toBe(0);
      expect(res.stderr).toMatch(/'cmp' on this PATH is \/usr\/bin\/cmp: put .* before \/usr\/bin/);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it("is run by both of the README's commands, after the build", () => {
    for (const script of ['scripts/demo.sh', 'scripts/test.sh']) {
      const text = readFileSync(join(ROOT, script), 'utf8');
      expect(text.indexOf('bash scripts/install.sh')).toBeGreaterThan(text.indexOf('npm ci'));
    }
  });

  it("uses the PREFIX whose bin Debian puts before /usr/bin on root's PATH", () => {
    expect(readFileSync(INSTALL, 'utf8')).toMatch(/prefix="\$\{PREFIX:-\/usr\/local\}"/);
    const supath = /^ENV_SUPATH\s+PATH=(\S+)/m.exec(readFileSync('/etc/login.defs', 'utf8'))?.[1] ?? '';
    const dirs = supath.split(':');
    expect(dirs.indexOf('/usr/local/bin')).toBeGreaterThanOrEqual(0);
    expect(dirs.indexOf('/usr/local/bin')).toBeLessThan(dirs.indexOf('/usr/bin'));
  });
});
