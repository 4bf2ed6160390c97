import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCmpCall, routeCall } from '../../../src/cli/passthrough.js';
import { COMMAND_NAMES, closestCommand } from '../../../src/cli/command-names.js';
import { buildProgram } from '../../../src/cli/program.js';
import { VERSION } from '../../../src/version.js';
import pkg from '../../../package.json' with { type: 'json' };

const BIN = join(import.meta.dirname, '../../../dist/bin/cmp.js');

describe('command-line entry', () => {
  it('recognises its own commands and options', () => {
    expect(isCmpCall([])).toBe(true);
    expect(isCmpCall(['up', '-d'])).toBe(true);
    expect(isCmpCall(['-f', 'x.yaml', 'config'])).toBe(true);
    expect(isCmpCall(['--project-directory=/tmp', 'ps'])).toBe(true);
    expect(isCmpCall(['a.bin', 'b.bin'])).toBe(false);
    expect(isCmpCall(['-s', 'a', 'b'])).toBe(false);
  });

  it('hands over only what looks like a file comparison', () => {
    const files = new Set(['a.bin', 'logs.txt', 'lgos']);
    const route = (...args: string[]): string => routeCall(args, (p) => files.has(p));
    // diffutils: a file comes first, stdin, a diffutils option, or two operands that are no near miss
    expect(route('a.bin', 'b.bin')).toBe('diffutils');
    expect(route('lgos')).toBe('diffutils');
    expect(route('-', 'a.bin')).toBe('diffutils');
    expect(route('-s', 'x', 'y')).toBe('diffutils');
    expect(route('-n10', 'x', 'y')).toBe('diffutils');
    expect(route('--ignore-initial=4', 'x', 'y')).toBe('diffutils');
    expect(route('--print-bytes', 'x', 'y')).toBe('diffutils');
    expect(route('nosuch1', 'nosuch2')).toBe('diffutils');
    // ours: typos, compose commands cmp lacks, a lone unknown word, unknown non-diffutils options
    for (const word of ['lgos', 'biuld', 'ustart', 'psx']) expect(routeCall([word])).toBe('cmp');
    expect(route('lgos')).toBe('diffutils'); // unless a file of that name is there
    for (const word of ['commit', 'alpha', 'publish', 'cp', 'stats', 'attach', 'scale'])
      expect(routeCall([word, 'web', 'x'])).toBe('cmp');
    expect(route('lgos2', 'web')).toBe('cmp');
    expect(route('--bogus')).toBe('cmp');
    expect(route('--ansi', 'never', 'ps')).toBe('cmp');
  });

  it('suggests the command a typo most likely meant, and nothing for short words', () => {
    expect(closestCommand('lgos')).toBe('logs');
    expect(closestCommand('stp')).toBe('stop');
    expect(closestCommand('imgaes')).toBe('images');
    expect(closestCommand('a')).toBeUndefined();
    expect(closestCommand('x.bin')).toBeUndefined();
  });

  it('answers typos and missing commands itself, with "did you mean", never with diffutils', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-typo-'));
    const run = (...args: string[]) => spawnSync('node', [BIN, ...args], { cwd: dir, encoding: 'utf8' });
    const typo = run('lgos');
    expect(typo.status).toBe(1);
    expect(typo.stderr).toBe("unknown command 'lgos' (did you mean logs? see 'cmp --help')\n");
    expect(run('lgos', 'web').stderr).toMatch(/did you mean logs\?/);
    for (const name of ['alpha', 'publish']) {
      const r = run(name);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^'${name}' is a docker compose command that cmp does not have`));
      expect(r.stderr).not.toMatch(/No such file/);
    }
  });

  it('prints its usage on stdout and exits 0 when called bare, as compose does', () => {
    const bare = spawnSync('node', [BIN], { encoding: 'utf8' });
    expect(bare.status).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: cmp \[options\] \[command\]/);
    expect(bare.stdout).toMatch(/^ {2}create /m);
    expect(bare.stderr).toBe('');
  });

  it('accepts --ansi never|always|auto and --no-ansi before any command', () => {
    for (const ansi of [['--ansi', 'never'], ['--ansi', 'always'], ['--ansi', 'auto'], ['--no-ansi']]) {
      const r = spawnSync('node', [BIN, ...ansi, 'version', '--short'], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(VERSION);
    }
    expect(spawnSync('node', [BIN, '--ansi', 'sometimes', 'ps'], { encoding: 'utf8' }).stderr).toMatch(
      /Allowed choices are never, always, auto/,
    );
  });

  it('defines every command it claims as its own in the pass-through list', () => {
    const defined = buildProgram().commands.map((c) => c.name());
    for (const name of defined) expect(COMMAND_NAMES.has(name)).toBe(true);
  });

  it('keeps the version in step with package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('hands a diffutils-style call to the system cmp unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-pass-'));
    writeFileSync(join(dir, 'a'), 'same\n');
    writeFileSync(join(dir, 'b'), 'same\n');
    writeFileSync(join(dir, 'c'), 'diff\n');
    expect(spawnSync('node', [BIN, join(dir, 'a'), join(dir, 'b')]).status).toBe(0);
    const differ = spawnSync('node', [BIN, join(dir, 'a'), join(dir, 'c')], { encoding: 'utf8' });
    expect(differ.status).toBe(1);
    expect(differ.stdout).toMatch(/differ/);
  });

  it('prints its own version', () => {
    expect(execFileSync('node', [BIN, 'version', '--short'], { encoding: 'utf8' }).trim()).toBe(VERSION);
  });
});
