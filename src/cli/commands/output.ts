// Where `config` and `graph` put what they print: the file `-o/--output` names (relative to the project's
// working directory), or stdout.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoadError } from '../../util/errors.js';

export function writeOutput(cwd: string, output: unknown, text: string): void {
  if (typeof output !== 'string') {
    process.stdout.write(text);
    return;
  }
  const target = resolve(cwd, output);
  try {
    writeFileSync(target, text);
  } catch (e) {
    throw new LoadError(`cannot write ${target}: ${(e as Error).message}`);
  }
}
