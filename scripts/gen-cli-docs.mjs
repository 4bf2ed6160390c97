// Writes docs/cli.md from the built command definitions (run `npm run build` first).
// test/unit/cli/docs.test.ts renders the same text and fails when docs/cli.md is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildProgram } = await import(join(root, 'dist/cli/program.js'));
const { renderCliDocs } = await import(join(root, 'dist/cli/cli-docs.js'));
const target = join(root, 'docs/cli.md');
writeFileSync(target, renderCliDocs(buildProgram()));
console.log(`wrote ${target}`);
