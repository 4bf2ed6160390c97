// Every rule has a fixture that makes it fire (located in the fixture's compose.yaml) and one that
// stays quiet; no rule may exist without both.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/lint/index.js';
import { FIXTURES, lintDir } from './load.js';

describe('lint rules', () => {
  it('each fixture folder names a rule', () => {
    const ids = RULES.map((r) => r.id);
    for (const dir of readdirSync(FIXTURES)) expect(ids).toContain(dir);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      const base = join(FIXTURES, rule.id);
      it('has both fixtures', () => {
        expect(existsSync(join(base, 'fires/compose.yaml'))).toBe(true);
        expect(existsSync(join(base, 'quiet/compose.yaml'))).toBe(true);
      });

      it('fires, located in the file, with a fix', async () => {
        const findings = (await lintDir(join(base, 'fires'))).filter((f) => f.rule === rule.id);
        expect(findings.length).toBeGreaterThan(0);
        for (const f of findings) {
          expect(f.severity).toBe(rule.severity);
          expect(f.location?.file).toBe(join(base, 'fires/compose.yaml'));
          expect(f.location?.line).toBeGreaterThan(1);
          expect(f.fix.length).toBeGreaterThan(0);
        }
      });

      it('stays quiet', async () => {
        const findings = (await lintDir(join(base, 'quiet'))).filter((f) => f.rule === rule.id);
        expect(findings).toEqual([]);
      });
    });
  }
});
