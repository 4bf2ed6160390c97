// `down` of a project with nothing to remove says so once (issue #16: the engine's warning and the
// command's own line both printed it).
import { describe, expect, it } from 'vitest';
import { cmp, projectDir } from './helpers.js';

describe('cmp down with nothing to remove', () => {
  it('says "No resource found" exactly once and exits 0', async () => {
    const { dir, name } = projectDir('services:\n  a:\n    image: busybox:1.36\n');
    const r = await cmp(['-p', name, 'down'], { cwd: dir });
    expect(r.code).toBe(0);
    const said = `${r.stdout}${r.stderr}`.match(/No resource found to remove/g) ?? [];
    expect(said).toHaveLength(1);
  });
});
