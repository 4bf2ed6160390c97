import type { SourceLocation } from '../model/types.js';
import { CmpError } from '../util/errors.js';

/** A Dockerfile or a build section cmp cannot build, or a build that failed; located where the input is. */
export class BuildError extends CmpError {}

export function at(file: string, line: number): SourceLocation {
  return { file, line, col: 1 };
}
