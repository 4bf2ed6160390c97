#!/usr/bin/env node
// Entry point. Kept tiny so start-up stays fast: commands and heavy modules load only when used.
import { isCmpCall, handOverToSystemCmp } from './passthrough.js';

const args = process.argv.slice(2);
if (!isCmpCall(args)) {
  handOverToSystemCmp(args);
} else {
  // No top-level await: the bundle is CommonJS, so that V8's code cache can be used (scripts/bundle.mjs).
  void import('./program.js').then(async ({ runCli }) => {
    process.exitCode = await runCli(args);
  });
}
