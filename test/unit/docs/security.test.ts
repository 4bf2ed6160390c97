// docs/security.md's isolation table must say what test/e2e/security/isolation.test.ts measures: the same
// rows, with the same expected outcome for cmp and for Docker.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATION_ROWS } from '../../e2e/security/isolation-rows.js';

const DOC = resolve(import.meta.dirname, '../../../docs/security.md');

function tableRows(markdown: string): { id: string; attempt: string; cmp: string; docker: string }[] {
  const section = markdown.split('## Isolation table')[1] ?? '';
  return section
    .split('\n')
    .filter((l) => /^\| `[a-z-]+` \|/.test(l))
    .map((l) => {
      const [id = '', attempt = '', cmp = '', docker = ''] = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return { id: id.replace(/`/g, ''), attempt, cmp, docker };
    });
}

describe('docs/security.md', () => {
  it('lists exactly the measured isolation rows, with their expected outcomes', () => {
    const doc = tableRows(readFileSync(DOC, 'utf8'));
    expect(doc).toEqual(ISOLATION_ROWS.map((r) => ({ ...r })));
  });

  it('keeps a section for every area of the threat model', () => {
    const text = readFileSync(DOC, 'utf8');
    for (const h of ['DNS', 'Local users and state files', 'Capabilities', 'Untrusted compose files']) {
      expect(text).toMatch(new RegExp(`^## ${h}$`, 'm'));
    }
  });
});
