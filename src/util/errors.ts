import type { SourceLocation } from '../model/types.js';
import { terminalLine } from './terminal-text.js';

/**
 * Every failure a user can cause or see is a CmpError: it carries where it came from and the exit
 * code the CLI maps it to, and prints as one line. Anything else reaching the CLI is a bug.
 */
export class CmpError extends Error {
  readonly exitCode: number;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;

  constructor(
    message: string,
    opts: { location?: SourceLocation; hint?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? 1;
    this.location = opts.location;
    this.hint = opts.hint;
  }

  /**
   * `file:line:col: message (hint)`; the location prefix shrinks to what is known. The line is made safe
   * for a terminal here, once for every error: user text in it is bounded and its control characters escaped.
   */
  format(): string {
    const loc = this.location;
    const where = loc ? `${loc.file}${loc.line > 0 ? `:${loc.line}:${loc.col}` : ''}: ` : '';
    return terminalLine(`${where}${this.message}${this.hint ? ` (${this.hint})` : ''}`);
  }
}

/** The files could not be found, read or parsed as YAML. */
export class LoadError extends CmpError {}
/** The tree does not match the schema. */
export class SchemaError extends CmpError {}
/** The model is well-formed but inconsistent: unknown references, cycles, clashes. */
export class ModelError extends CmpError {}
/** A plan cannot be made or carried out (a dependency failed, a wait timed out). */
export class EngineError extends CmpError {}
/** The runtime refused or failed an operation. */
export class RuntimeError extends CmpError {}
/** Bad command-line usage. */
export class UsageError extends CmpError {}

export function isCmpError(e: unknown): e is CmpError {
  return e instanceof CmpError;
}
