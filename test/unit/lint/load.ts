// Loads a fixture folder as `cmp lint` does, with a clean environment.
import { join } from 'node:path';
import { loadForLint, lint, type Finding, type LintOptions } from '../../../src/lint/index.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/lint');

export async function lintDir(dir: string, opts: LintOptions = {}): Promise<Finding[]> {
  const ctx = await loadForLint({
    cwd: dir,
    files: [],
    envFiles: [],
    profiles: [],
    interpolate: true,
    env: { HOME: '/home/tester' },
  });
  return lint(ctx, opts);
}
