// Bundles the built CLI (dist/, from tsc) into dist/bin/: cmp.js, supervisor.js and watcher.js plus shared
// chunks. Node loads one bundle in about half the time it takes to resolve and load the ~150 modules
// one by one (measured in docs/benchmarks.md), and every `cmp` call and every supervisor start pays it.
// Lazy imports stay lazy (they become chunks). Runs after `tsc -p tsconfig.build.json` and build-schema.
import { copyFileSync, rmSync } from 'node:fs';
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

await build({
  input: {
    cmp: resolve(root, 'dist/cli/main.js'),
    supervisor: resolve(root, 'dist/supervise/daemon/main.js'),
    watcher: resolve(root, 'dist/watch/daemon.js'),
  },
  platform: 'node',
  external: (id) => id.startsWith('node:') || external.has(id) || id.startsWith('dockerode/'),
  transform: { define: { __CMP_BUNDLE__: 'true' } },
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunk-[hash].js',
  },
});
// The ahead-compiled schema validator is loaded with require() beside the code that uses it.
copyFileSync(resolve(root, 'dist/schema/compose-validator.cjs'), resolve(out, 'compose-validator.cjs'));
