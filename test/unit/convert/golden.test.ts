// The Kubernetes output of examples/quickstart and of every corpus file, compared with golden files
// (UPDATE_GOLDEN=1 rewrites them), and every object valid against the Kubernetes schema.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiDocument, reportTable } from '../../../src/convert/kubernetes/output.js';
import { convert, loadFile, validate } from './helpers.js';

const repo = resolve(import.meta.dirname, '../../..');
const corpus = join(repo, 'test/fixtures/corpus');
const goldenDir = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

function composeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...composeFiles(p));
    else if (/^(compose|docker-compose)\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const cases: [string, string][] = [
  ['quickstart', join(repo, 'examples/quickstart/compose.yaml')],
  ...composeFiles(corpus).map((f): [string, string] => [
    relative(corpus, join(f, '..')).replace(/[\\/]/g, '__'),
    f,
  ]),
];

describe('kubernetes output', () => {
  it('covers the corpus', () => expect(cases.length).toBeGreaterThan(30));
  for (const [name, file] of cases) {
    it(name, async () => {
      // a fixed environment, so .env-free variables and `environment:` sources do not vary by host
      const project = await loadFile(file, { HOME: '/home/tester' });
      const result = convert(project);
      for (const o of result.objects) expect(() => validate(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
      // paths in findings name the checkout; keep golden files independent of it
      const text = `${multiDocument(result.objects)}# findings\n${reportTable(result.findings)
        .split('\n')
        .map((l) => (l ? `# ${l}` : l))
        .join('\n')}`
        .replaceAll(corpus, '<corpus>')
        .replaceAll(repo, '<repo>');
      const golden = join(goldenDir, `${name}.yaml`);
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, text);
      }
      expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
