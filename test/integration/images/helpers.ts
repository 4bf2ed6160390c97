// Shared bits of the image integration tests: a temp store root and an overlay view of an image.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempRoot(prefix = 'cmp-images-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Mounts the layers read-only as overlayfs sees them in a container, runs fn, unmounts. */
export async function withOverlay<T>(
  layerDirs: string[],
  fn: (merged: string) => Promise<T> | T,
): Promise<T> {
  const merged = mkdtempSync(join(tmpdir(), 'cmp-merged-'));
  // overlay wants the top layer first; a single layer is bound instead (overlay needs two lowers without an upper)
  const lowers = [...layerDirs].reverse();
  if (lowers.length === 1) execFileSync('mount', ['--bind', '-o', 'ro', lowers[0] as string, merged]);
  else execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lowers.join(':')}`, merged]);
  try {
    return await fn(merged);
  } finally {
    execFileSync('umount', [merged]);
    rmSync(merged, { recursive: true, force: true });
  }
}

export function mkdirp(p: string): string {
  mkdirSync(p, { recursive: true });
  return p;
}
