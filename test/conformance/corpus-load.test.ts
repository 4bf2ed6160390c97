// Every compose.yaml of the corpus (test/fixtures/corpus) loads with `cmp config -q` from its own folder (build
// contexts may be missing), and `cmp config --services` names exactly the services of the file.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/bin/cmp.js');
const corpus = join(repo, 'test/fixtures/corpus');

function findComposeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findComposeFiles(p));
    else if (name === 'compose.yaml') out.push(p);
  }
  return out.sort();
}

function cmp(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: '/home/tester' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const files = findComposeFiles(corpus);

describe('corpus', () => {
  it('is there', () => expect(files.length).toBeGreaterThan(30));
  for (const file of files) {
    const dir = dirname(file);
    it(dir.slice(corpus.length + 1), () => {
      const quiet = cmp(dir, 'config', '-q');
      expect(quiet.stderr).not.toMatch(/error/i);
      expect(quiet.code).toBe(0);
      expect(quiet.stdout).toBe('');
      const listed = cmp(dir, 'config', '--services');
      expect(listed.code).toBe(0);
      const declared = Object.keys((parse(readFileSync(file, 'utf8')) as { services: object }).services);
      expect(listed.stdout.trim().split('\n').sort()).toEqual(declared.sort());
    });
  }
});
