// Bundles the built CLI (dist/, from tsc) into dist/bin/: cmp.js, supervisor.js and watcher.js plus shared
// chunks. Node loads one bundle in about half the time it takes to resolve and load the ~150 modules
// one by one (measured in docs/benchmarks.md), and every `cmp` call and every supervisor start pays it.
// Lazy imports stay lazy (they become chunks). Runs after `tsc -p tsconfig.build.json` and build-schema.
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, 'dist/bin');
rmSync(out, { recursive: true, force: true });

// dockerode pulls in ssh2 and cpu-features, which load native addons by relative path: left to node_modules.
// react-devtools-core is an optional import of ink's, used only with DEV=true.
const external = new Set(['dockerode', 'react-devtools-core', ...builtinModules]);
const isExternal = (id) => id.startsWith('node:') || external.has(id) || id.startsWith('dockerode/');
const ENTRIES = {
  cmp: 'dist/cli/main.js',
  supervisor: 'dist/runtime/embedded/supervisor/main.js',
  watcher: 'dist/watch/daemon.js',
};

// CommonJS, not ES modules: Node 20 can give V8's code cache only to scripts it compiles through vm.Script,
// which is what the start-up file (scripts/bin-loader.cjs) does for every script of the bundle.
await build({
  input: Object.fromEntries(
    Object.entries(ENTRIES).map(([name, file]) => [`${name}-main`, resolve(root, file)]),
  ),
  platform: 'node',
  external: isExternal,
  transform: { define: { __CMP_BUNDLE__: 'true' } },
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunk-[hash].js',
  },
});
// The terminal progress view stays an ES module, with ink and React inside it: ink is ES-module only and
// uses top-level await, which CommonJS cannot load. The CLI imports it by URL (util/layout.ts).
await build({
  input: { 'tty-view': resolve(root, 'dist/ui/tty-view.js') },
  platform: 'node',
  external: isExternal,
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: 'view-[hash].mjs' },
});
// The package is "type": "module"; the bundle's .js files are CommonJS.
writeFileSync(resolve(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
const loader = readFileSync(resolve(root, 'scripts/bin-loader.cjs'), 'utf8');
for (const name of Object.keys(ENTRIES)) {
  const file = resolve(out, `${name}.js`);
  // `node --`: Node 20 itself opens an `--env-file` argument even after the script's name, before cmp's
  // own checks (a FIFO or /dev/zero there hangs it); after `--` every argument is cmp's.
  writeFileSync(file, `#!/usr/bin/env -S node --\n${loader.replace('__ENTRY__', `${name}-main.js`)}`);
  chmodSync(file, 0o755);
}
// The ahead-compiled schema validator is loaded with require() beside the code that uses it.
copyFileSync(resolve(root, 'dist/schema/compose-validator.cjs'), resolve(out, 'compose-validator.cjs'));
