// Where cmp's own scripts are. cmp runs from tsc's output (dist/<area>/…, tests import modules from it) or
// from the bundle the build makes of it (dist/bin/, what the `cmp` command runs: one file loads in a
// fraction of the time hundreds of modules take, and every CLI call pays that start-up).
import { fileURLToPath } from 'node:url';

// Replaced with `true` by scripts/bundle.mjs; undeclared (so undefined) in tsc's output.
declare const __CMP_BUNDLE__: boolean | undefined;

export const BUNDLED = typeof __CMP_BUNDLE__ !== 'undefined' && __CMP_BUNDLE__;

/** The entry script of a detached helper process, in the same layout as the running code. */
export function daemonScript(kind: 'supervisor' | 'watcher'): string {
  if (BUNDLED) return fileURLToPath(new URL(`./${kind}.js`, import.meta.url));
  const rel = kind === 'supervisor' ? '../supervise/daemon/main.js' : '../watch/daemon.js';
  return fileURLToPath(new URL(rel, import.meta.url));
}
