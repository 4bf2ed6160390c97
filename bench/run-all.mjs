// `npm run bench`: every runtime benchmark in turn (each prints its own markdown table and cleans up after itself).
// Run `npm run build` first. Exit 1 if any benchmark failed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPTS = ['up-down.mjs', 'container-start.mjs', 'dns.mjs', 'docker-runtime.mjs'];
const failed = [];
for (const s of SCRIPTS) {
  const r = spawnSync(process.execPath, [join(here, s)], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(`${s} (exit ${r.status ?? r.signal})`);
  console.log('');
}
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
