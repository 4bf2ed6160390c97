'use strict';
// Start-up file of a bundled cmp program (scripts/bundle.mjs writes one per entry and fills in ENTRY).
// Every `cmp` call and every supervisor start parses and compiles the bundle's scripts afresh; V8 can
// instead reuse the code it compiled last time. Node 20 has no module.enableCompileCache (Node 22 does),
// so this loader does what that would: the bundle's CommonJS scripts are compiled through vm.Script with
// the cached data of an earlier run, and scripts that had none get it written when the process exits.
const Module = require('node:module');
const { Script } = require('node:vm');
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const ENTRY = '__ENTRY__';
const dir = __dirname;
const cacheDir = join(dir, '.v8-cache');
const fresh = [];
const compile = Module.prototype._compile;

Module.prototype._compile = function compileWithCache(content, filename) {
  if (dirname(filename) !== dir || process.env.CMP_NO_CODE_CACHE)
    return compile.call(this, content, filename);
  let key;
  try {
    // V8 checks the cache against the source's length, not its text: the file's size and time tell builds apart.
    const st = statSync(filename);
    key = join(cacheDir, `${basename(filename)}-${st.size}-${Math.trunc(st.mtimeMs)}`);
  } catch {
    return compile.call(this, content, filename);
  }
  let cachedData;
  try {
    cachedData = readFileSync(key);
  } catch {
    cachedData = undefined;
  }
  const source = content.startsWith('#!') ? `//${content}` : content;
  const script = new Script(Module.wrap(source), { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) fresh.push({ script, key });
  const fn = script.runInThisContext({ displayErrors: true });
  return fn.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dir);
};

// A script compiled from cached data has no import() in Node 20, so the bundle borrows this file's
// (util/layout.ts importModule) for the one ES module it loads, the terminal progress view.
Object.defineProperty(globalThis, Symbol.for('cmp.import'), { value: (url) => import(url) });

process.once('exit', () => {
  if (fresh.length === 0) return;
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const { script, key } of fresh) {
      const tmp = `${key}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, key);
    }
  } catch {
    // A read-only install runs without the cache.
  }
});

require(`./${ENTRY}`);
