// Generated projects for the lifecycle benchmarks, and the cmp side of the image setup.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CMP_ENV, OUT, cmp, mustCmp, onCleanup, run } from './common.mjs';
import { IMAGE, saveBusyboxImage } from './docker.mjs';

// sh as PID 1 ignores SIGTERM unless it traps it: without the trap every stop would wait the full grace period.
const SLEEPER = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

/**
 * `n` sleeping services on one network, in chains of five (`svcK` depends on `svcK-1` unless K is a multiple of 5),
 * so start order matters without making the whole project one serial chain. No `name:` key: docker-compose v1
 * refuses it, so both tools get the project name from `-p`.
 */
export function sleepers(n, { hostRootfs = false } = {}) {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  svc${i}:`);
    if (hostRootfs) lines.push('    x-cmp: {host_rootfs: true}');
    else lines.push(`    image: ${IMAGE}`);
    lines.push(`    command: ${SLEEPER}`, '    networks: [net]');
    if (i % 5 !== 0) lines.push(`    depends_on: [svc${i - 1}]`);
  }
  lines.push('networks:', '  net: {}');
  return `${lines.join('\n')}\n`;
}

/** Loads the docker-saved busybox image into the benchmark's own cmp image store. */
export function loadImageIntoCmp() {
  const file = saveBusyboxImage(join(OUT, 'busybox-image.tar'));
  mustCmp(['image', 'load', '-q', '-i', file]);
}

function mountsUnder(root) {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[1]?.startsWith(root));
}

/**
 * Deletes the benchmark's private cmp roots at the very end (register it first so it runs last). If a project
 * could not be torn down, mounts remain under them: then nothing is deleted and the leftovers are named.
 */
export function removeCmpRootsAtEnd() {
  onCleanup(() => {
    for (const root of [CMP_ENV.CMP_RUN_ROOT, CMP_ENV.CMP_STATE_ROOT]) {
      const left = mountsUnder(root);
      if (left.length > 0) throw new Error(`not removing ${root}: still mounted: ${left.join('; ')}`);
    }
    for (const root of [CMP_ENV.CMP_RUN_ROOT, CMP_ENV.CMP_STATE_ROOT])
      if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  });
}

/** Registers a forced teardown of a cmp project (a no-op when the run already removed it). */
export function cmpTeardown(dir, project, global = []) {
  onCleanup(() => {
    const r = cmp([...global, '-p', project, 'down', '-v', '-t', '0'], { cwd: dir });
    if (r.error) throw new Error(`cmp down ${project}: ${r.error}`);
  });
}

export function composeTeardown(dir, project) {
  onCleanup(() => {
    const r = run('docker-compose', ['-p', project, 'down', '-v', '-t', '0'], { cwd: dir });
    if (r.error) throw new Error(`docker-compose down ${project}: ${r.error}`);
  });
}
