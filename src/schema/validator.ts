// Chooses the fastest available validator: the standalone module emitted at build time
// (scripts/build-schema.mjs, ~10 ms to load) or, when running from source, a runtime compile (~200 ms).
import { createRequire } from 'node:module';
import { compileComposeSchema, type ComposeValidator } from './compile.js';

/** File name the build writes next to this module in dist/schema/. */
export const STANDALONE_VALIDATOR_FILE = 'compose-validator.cjs';

let cached: ComposeValidator | undefined;

function loadStandalone(): ComposeValidator | undefined {
  const require = createRequire(import.meta.url);
  try {
    const mod = require(`./${STANDALONE_VALIDATOR_FILE}`) as ComposeValidator | { default: ComposeValidator };
    return typeof mod === 'function' ? mod : mod.default;
  } catch (e) {
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

export function composeValidator(): ComposeValidator {
  cached ??= loadStandalone() ?? compileComposeSchema();
  return cached;
}
