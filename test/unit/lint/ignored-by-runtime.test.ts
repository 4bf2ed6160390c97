// Attributes the chosen runtime accepts but does not apply are reported, one per owner and attribute,
// located where they were written, and only for the runtime that ignores them (issue #16).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, loadForLint } from '../../../src/lint/index.js';
import { COMPOSE_SUPPORT } from '../../../src/model/compose-support.js';
import { FIXTURES } from './load.js';

const DIR = join(FIXTURES, 'ignored-by-runtime/fires');

async function ignored(runtime: 'embedded' | 'docker'): Promise<string[]> {
  const ctx = await loadForLint({
    cwd: DIR,
    files: [],
    envFiles: [],
    profiles: [],
    interpolate: true,
    env: { HOME: '/home/tester' },
  });
  return lint({ ...ctx, runtime })
    .filter((f) => f.rule === 'ignored-by-runtime')
    .map((f) => `${f.location?.line}: ${f.message.split(' (')[0]} | ${f.fix}`);
}

describe('ignored-by-runtime', () => {
  it('names each attribute the embedded runtime ignores, where it was written', async () => {
    expect(await ignored('embedded')).toEqual([
      '4: web: pid is accepted but not applied by the embedded runtime | remove pid from web, or run it with --runtime docker',
      '5: web: cpu_shares is accepted but not applied by the embedded runtime | remove cpu_shares from web',
      '6: web: post_start is accepted but not applied by the embedded runtime | remove post_start from web',
    ]);
  });

  it('leaves out what the docker runtime applies', async () => {
    const lines = await ignored('docker');
    expect(lines.some((l) => l.includes(' pid '))).toBe(false);
    expect(lines).toContain(
      '5: web: cpu_shares is accepted but not applied by the docker runtime | remove cpu_shares from web',
    );
  });

  it('covers every attribute the support table marks "no"', () => {
    const embeddedNo = Object.entries(COMPOSE_SUPPORT).filter(([, s]) => s.embedded === 'no');
    expect(embeddedNo.map(([k]) => k)).toEqual(expect.arrayContaining(['service.pid', 'service.devices']));
    expect(COMPOSE_SUPPORT['service.develop']?.embedded).not.toBe('no');
  });
});
