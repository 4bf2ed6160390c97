// Where cmp's own scripts are. cmp runs from tsc's output (dist/<area>/…, tests import modules from it) or
// from the bundle the build makes of it (dist/bin/, what the `cmp` command runs: one file loads in a
// fraction of the time hundreds of modules take, and every CLI call pays that start-up).
import { fileURLToPath } from 'node:url';

// Replaced with `true` by scripts/bundle.mjs; undeclared (so undefined) in tsc's output.
declare const __CMP_BUNDLE__: boolean | undefined;

export const BUNDLED = typeof __CMP_BUNDLE__ !== 'undefined' && __CMP_BUNDLE__;

/**
 * The module of the terminal progress view, for import(). ink is ES-module only (with top-level await), so
 * the bundle keeps the view, with ink and React, as a separate ES module beside the CommonJS chunks.
 */
export function progressViewModule(): string {
  return BUNDLED
    ? new URL('./tty-view.mjs', import.meta.url).href
    : new URL('../ui/tty-view.js', import.meta.url).href;
}

/**
 * import() of an ES module by URL. The bundle's scripts run from V8's code cache, and Node 20 loses the
 * import() hook of a script compiled from cached data; the start-up file (scripts/bin-loader.cjs) lends
 * its own import() instead.
 */
export function importModule<T>(url: string): Promise<T> {
  const lent = (globalThis as Record<symbol, unknown>)[Symbol.for('cmp.import')];
  return typeof lent === 'function' ? (lent as (u: string) => Promise<T>)(url) : (import(url) as Promise<T>);
}

/** The entry script of a detached helper process, in the same layout as the running code. */
export function daemonScript(kind: 'supervisor' | 'watcher'): string {
  if (BUNDLED) return fileURLToPath(new URL(`./${kind}.js`, import.meta.url));
  const rel = kind === 'supervisor' ? '../runtime/embedded/supervisor/main.js' : '../watch/daemon.js';
  return fileURLToPath(new URL(rel, import.meta.url));
}
