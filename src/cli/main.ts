#!/usr/bin/env node
// Entry point. Kept tiny so start-up stays fast: commands and heavy modules load only when used.
import { isCmpCall, handOverToSystemCmp } from './passthrough.js';

const args = process.argv.slice(2);
if (!isCmpCall(args)) {
  handOverToSystemCmp(args);
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli(args);
}
