// `cmp lint` over every compose file of the corpus (test/fixtures/corpus): it never throws, and what it finds stays
// what docs/lint.md records. A change in these counts is a change in the rules: update both together.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, loadForLint, type Finding } from '../../src/lint/index.js';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus');

/** Findings per rule over the whole corpus (see docs/lint.md, "What it finds in the corpus"). */
const EXPECTED: Record<string, number> = {
  'database-port-exposed': 9,
  'hardcoded-ip': 1,
  'ignored-by-runtime': 4,
  'image-unpinned': 20,
  'network-mode-host': 1,
  'pid1-shell-signals': 1,
  'readiness-without-healthcheck': 14,
};

function composeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...composeFiles(p));
    else if (/^(docker-)?compose\.ya?ml$/.test(name)) out.push(p);
  }
  return out.sort();
}

async function lintFile(file: string): Promise<Finding[]> {
  const ctx = await loadForLint({
    cwd: dirname(file),
    files: [file],
    envFiles: [],
    profiles: [],
    interpolate: true,
    env: { HOME: '/home/tester' },
  });
  return lint(ctx);
}

describe('lint over the corpus', () => {
  const files = composeFiles(CORPUS);
  const all: Finding[] = [];

  it('is there', () => expect(files.length).toBeGreaterThan(30));

  for (const file of files) {
    it(relative(CORPUS, file), async () => {
      const findings = await lintFile(file);
      for (const f of findings) {
        expect(f.location?.file).toBe(file);
        expect(f.location?.line).toBeGreaterThan(0);
      }
      all.push(...findings);
    });
  }

  it('finds what docs/lint.md records', () => {
    const counts: Record<string, number> = {};
    for (const f of all) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    expect(counts).toEqual(EXPECTED);
    expect(all.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
