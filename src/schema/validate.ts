// STUB: replaced by the schema work. Validates a merged compose tree against schemas/compose.schema.json.
import type { SourceLocation } from '../model/types.js';

/** Maps a path in the merged tree to where that node was written. */
export type Locate = (path: readonly (string | number)[]) => SourceLocation | undefined;

/** Throws a SchemaError (one line, located, most specific failure only) when the tree is invalid. */
export function validateCompose(_tree: unknown, _locate: Locate): void {}
