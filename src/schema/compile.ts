// The one place that says how the compose schema is compiled, shared by the runtime fallback and
// by scripts/build-schema.mjs (which imports the built copy of this module to emit a standalone validator).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';

/** The schema file, found relative to this module so it works from src/ (tests) and dist/ (installed). */
export const COMPOSE_SCHEMA_URL = new URL('../../schemas/compose.schema.json', import.meta.url);

/** A compiled validator, whether compiled now or loaded from the standalone build output. */
export interface ComposeValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export type JsonSchemaNode = { [key: string]: unknown };

let schemaCache: JsonSchemaNode | undefined;

export function loadComposeSchema(): JsonSchemaNode {
  schemaCache ??= JSON.parse(readFileSync(COMPOSE_SCHEMA_URL, 'utf8')) as JsonSchemaNode;
  return schemaCache;
}

/**
 * allErrors stays off: we report one failure, and stopping early keeps the error list to the path that
 * got furthest in each oneOf branch. Union types are how the spec says "boolean or interpolated string".
 * verbose puts the failing schema node on each error: the message builder reads allowed keys and
 * `x-expect` from it (ajv's schemaPath is relative to the nearest $ref, so it cannot be walked).
 */
export function createComposeAjv(opts: { standalone?: boolean } = {}): Ajv2020 {
  // Required on demand: with the prebuilt validator the CLI never pays for loading ajv's compiler (~40 ms).
  const { Ajv2020: AjvClass } = createRequire(import.meta.url)(
    'ajv/dist/2020.js',
  ) as typeof import('ajv/dist/2020.js');
  const ajv = new AjvClass({
    allErrors: false,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
    code: opts.standalone ? { source: true } : {},
  });
  // Annotation read by the message builder to say in words what a pattern expects.
  ajv.addKeyword({ keyword: 'x-expect', schemaType: 'string' });
  return ajv;
}

export function compileComposeSchema(): ComposeValidator {
  return createComposeAjv().compile(loadComposeSchema());
}
