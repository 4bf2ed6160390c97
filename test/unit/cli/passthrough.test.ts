import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCmpCall } from '../../../src/cli/passthrough.js';
import { COMMAND_NAMES } from '../../../src/cli/command-names.js';
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
