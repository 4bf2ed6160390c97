// The validator scripts/build-schema.mjs emits for dist/ must behave exactly like the runtime compile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileComposeSchema, type ComposeValidator } from '../../../src/schema/compile.js';
import { explainSchemaErrors } from '../../../src/schema/messages.js';

const root = resolve(import.meta.dirname, '../../..');
// Inside the project so the emitted module resolves ajv's runtime helpers from node_modules.
const outDir = mkdtempSync(join(root, 'dist', '.schema-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const trees: unknown[] = [
  {
    services: {
      web: { image: 'nginx', ports: ['80:80'], depends_on: { db: { condition: 'service_healthy' } } },
    },
  },
  { services: { web: { image: 'nginx', depend_on: ['db'] } } },
  { services: { web: { build: { context: 1 } } } },
  { services: { web: { restart: 'sometimes' } } },
  { services: { 'bad name': {} } },
  { services: { web: { ports: ['80', '80'] } } },
  { networks: { front: { 'x-cmp': { ip_assignment: 'random' } } } },
];

function outcome(validate: ComposeValidator, tree: unknown): string {
  return validate(tree) ? 'valid' : JSON.stringify(explainSchemaErrors(validate.errors ?? [], tree));
}

describe('standalone validator', () => {
  it('gives the same verdicts and messages as the runtime compile', () => {
    const out = join(outDir, 'compose-validator.cjs');
    execFileSync(process.execPath, [join(root, 'scripts/build-schema.mjs'), out]);
    const standalone = createRequire(import.meta.url)(out) as ComposeValidator;
    const runtime = compileComposeSchema();
    for (const tree of trees) expect(outcome(standalone, tree)).toBe(outcome(runtime, tree));
    expect(outcome(standalone, trees[1])).toContain("did you mean 'depends_on'?");
  });
});
