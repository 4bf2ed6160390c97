// Table test: every folder under test/fixtures/loader/ is one case, compose files in, expected.json
// out (the project as `cmp config --format json` shows it, plus the warnings). UPDATE_FIXTURES=1
// rewrites the expected files; review the diff before keeping it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCase } from './fixtures.js';

const root = resolve(import.meta.dirname, '../../fixtures/loader');
const cases = readdirSync(root).filter(
  (d) => existsSync(join(root, d, 'expected.json')) || process.env.UPDATE_FIXTURES,
);

describe('loader fixtures', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(40));
  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const got = await runCase(dir);
      const file = join(dir, 'expected.json');
      if (process.env.UPDATE_FIXTURES) writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
      expect(got).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});
