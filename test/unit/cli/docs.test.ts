import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../../src/cli/program.js';
import { renderCliDocs } from '../../../src/cli/cli-docs.js';
import { parseOnly } from '../../../src/cli/parse-only.js';
import { isCmpCall } from '../../../src/cli/passthrough.js';
import { shellSplit } from '../../../src/loader/normalize/shell-split.js';

const ROOT = join(import.meta.dirname, '../../..');

function markdownFiles(): string[] {
  const files = ['README.md'];
  for (const f of readdirSync(join(ROOT, 'docs'))) if (f.endsWith('.md')) files.push(join('docs', f));
  for (const ex of readdirSync(join(ROOT, 'examples'))) {
    const readme = join('examples', ex, 'README.md');
    if (existsSync(join(ROOT, readme))) files.push(readme);
  }
  return files;
}

/** Lines inside fenced code blocks that start with `cmp ` or `$ cmp `. */
function commandLines(text: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of text.split('\n')) {
    if (/^\s*```/.test(raw)) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    const line = raw.trim().replace(/^\$\s+/, '');
    if (line.startsWith('cmp ')) out.push(line.replace(/\s+#.*$/, ''));
  }
  return out;
}

describe('docs/cli.md', () => {
  it('is what scripts/gen-cli-docs.mjs generates from the command table', () => {
    const onDisk = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    // On failure: npm run build && node scripts/gen-cli-docs.mjs
    expect(onDisk).toBe(renderCliDocs(buildProgram()));
  });

  it('documents every command and every option', () => {
    const text = renderCliDocs(buildProgram());
    for (const cmd of buildProgram().commands) {
      expect(text).toContain(`## cmp ${cmd.name()}`);
      // Hidden ones are compose's global options after the command, and the flags cmp refuses.
      for (const o of cmd.options) if (!o.hidden) expect(text).toContain(`\`${o.flags}\``);
    }
  });
});

describe('command lines in the docs', () => {
  const found = markdownFiles().flatMap((f) =>
    commandLines(readFileSync(join(ROOT, f), 'utf8')).map((line) => ({ file: f, line })),
  );

  it('finds the examples', () => {
    expect(found.length).toBeGreaterThan(20);
  });

  it('all parse with the real command table', async () => {
    const failures: string[] = [];
    for (const { file, line } of found) {
      const args = shellSplit(line).slice(1);
      if (!isCmpCall(args)) continue; // diffutils' cmp, handed over unchanged
      const res = await parseOnly(args);
      if (!res.ok) failures.push(`${file}: ${line}: ${res.error}`);
    }
    expect(failures).toEqual([]);
  });

  it('rejects what the CLI rejects', async () => {
    expect((await parseOnly(['up', '--bogus'])).ok).toBe(false);
    expect((await parseOnly(['ps', '--format', 'xml'])).ok).toBe(false);
    expect((await parseOnly(['port', 'web'])).ok).toBe(false);
    expect(await parseOnly(['up', '-d', 'web'])).toEqual({ ok: true, command: 'up' });
    expect(await parseOnly(['exec', 'web', 'ls', '-la'])).toEqual({ ok: true, command: 'exec' });
    expect((await parseOnly(['--help'])).ok).toBe(true);
  });
});
