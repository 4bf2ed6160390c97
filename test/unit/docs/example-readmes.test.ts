// Example READMEs are for readers: the test harness's checks (`# expect:`, `# until:`, ...) live in an
// HTML comment after each block (test/e2e/examples.test.ts), never in the commands a reader sees.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');

function visibleShLines(markdown: string): string[] {
  const out: string[] = [];
  let inSh = false;
  let inBlock = false;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      inSh = !inBlock && (fence[1] === 'sh' || fence[1] === 'bash');
      inBlock = !inBlock;
    } else if (inSh) out.push(line);
  }
  return out;
}

describe('examples/*/README.md', () => {
  const readmes = readdirSync(EXAMPLES)
    .map((d) => join(EXAMPLES, d, 'README.md'))
    .filter((p) => existsSync(p));

  it('are there', () => expect(readmes.length).toBeGreaterThanOrEqual(6));

  it('show no test-harness markers in their commands', () => {
    const marked = readmes.flatMap((p) =>
      visibleShLines(readFileSync(p, 'utf8'))
        .filter((l) => /#\s*(expect|until|fails|lacks):/.test(l))
        .map((l) => `${p}: ${l}`),
    );
    expect(marked).toEqual([]);
  });

  it('keep the checks for their commands in a comment', () => {
    for (const p of readmes) {
      const text = readFileSync(p, 'utf8');
      if (/```sh[\s\S]*?^cmp /m.test(text)) expect(text, p).toMatch(/^<!-- checks: /m);
    }
  });
});
