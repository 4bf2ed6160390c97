// Malformed projects through the built CLI: each folder under test/fixtures/bad/ must make
// `cmp config -q` exit 1 with exactly one line on stderr that contains expected-error.txt (with
// `<case>` standing for the folder), and never a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const root = join(repo, 'test/fixtures/bad');
const cli = join(repo, 'dist/bin/cmp.js');

interface BadOptions {
  global?: string[];
  args?: string[];
  env?: Record<string, string>;
}

function runBad(dir: string): { code: number | null; stderr: string; stdout: string } {
  const optPath = join(dir, 'options.json');
  const o: BadOptions = existsSync(optPath) ? (JSON.parse(readFileSync(optPath, 'utf8')) as BadOptions) : {};
  const r = spawnSync(process.execPath, [cli, ...(o.global ?? []), 'config', '-q', ...(o.args ?? [])], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: '/home/tester', ...o.env },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const cases = readdirSync(root).sort();

describe('bad input', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name);
      const r = runBad(dir);
      const line = r.stderr.replace(/\n$/, '');
      const expectedFile = join(dir, 'expected-error.txt');
      if (process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, `${line.split(dir).join('<case>')}\n`);
      const expected = readFileSync(expectedFile, 'utf8').trim().split('<case>').join(dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(line.split('\n')).toHaveLength(1);
      expect(line).not.toMatch(/^\s+at /m);
      expect(line).toContain(expected);
    });
  }
});
