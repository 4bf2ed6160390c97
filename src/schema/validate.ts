// Validates a merged compose tree against schemas/compose.schema.json and reports one located failure.
import type { SourceLocation } from '../model/types.js';
import { SchemaError } from '../util/errors.js';
import { explainSchemaErrors } from './messages.js';
import { composeValidator } from './validator.js';

/** Maps a path in the merged tree to where that node was written. */
export type Locate = (path: readonly (string | number)[]) => SourceLocation | undefined;

/** The node itself if it can be located, else its nearest ancestor that can. */
function locateNearest(locate: Locate, path: readonly (string | number)[]): SourceLocation | undefined {
  for (let n = path.length; n >= 0; n--) {
    const found = locate(path.slice(0, n));
    if (found) return found;
  }
  return undefined;
}

/** Throws a SchemaError (one line, located, most specific failure only) when the tree is invalid. */
export function validateCompose(tree: unknown, locate: Locate): void {
  const validate = composeValidator();
  if (validate(tree)) return;
  const failure = explainSchemaErrors(validate.errors ?? [], tree);
  const location = locateNearest(locate, failure.path);
  throw new SchemaError(failure.message, {
    ...(location ? { location } : {}),
    ...(failure.hint ? { hint: failure.hint } : {}),
  });
}
