// Host-side `ip` lines of concurrent callers share one process; each caller still learns about its own
// failed lines and only those, and lines that clean up ignore what is already gone.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { failedLines, hostBatch } from '../../../src/runtime/embedded/net/host-batch.js';
import { tryRun } from '../../../src/util/exec.js';

const made: string[] = [];
const name = (): string => {
  const n = `cmpbt${randomBytes(4).toString('hex')}`;
  made.push(n);
  return n;
};

afterAll(async () => {
  for (const n of made) await tryRun('ip', ['link', 'del', 'dev', n]);
});

describe('shared host ip batches', () => {
  it('reads which lines failed from ip -force -batch', () => {
    const stderr =
      'RTNETLINK answers: File exists\nCommand failed -:2\nCannot find device "x"\nCommand failed -:5\n';
    expect([...failedLines(stderr)]).toEqual([
      [2, 'RTNETLINK answers: File exists'],
      [5, 'Cannot find device "x"'],
    ]);
  });

  it('runs concurrent callers together: a failed line fails only its own caller', async () => {
    const [a, b] = [name(), name()];
    const results = await Promise.allSettled([
      hostBatch([`link add name ${a} type bridge`, `link set dev ${a} up`], { strict: true }),
      hostBatch([`link set dev cmpbtmissing0 up`], { strict: true }),
      hostBatch([`link add name ${b} type bridge`], { strict: true }),
    ]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[2].status).toBe('fulfilled');
    expect(results[1].status).toBe('rejected');
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(
      /cmpbtmissing0 up: Cannot find device/,
    );
    expect(existsSync(`/sys/class/net/${a}`)).toBe(true);
    expect(existsSync(`/sys/class/net/${b}`)).toBe(true);
  });

  it('cleanup lines ignore what is already gone and still do the rest', async () => {
    const a = name();
    await hostBatch([`link add name ${a} type bridge`], { strict: true });
    await hostBatch([`link del dev cmpbtmissing1`, `link del dev ${a}`], { strict: false });
    expect(existsSync(`/sys/class/net/${a}`)).toBe(false);
  });
});
