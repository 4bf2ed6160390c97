import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher, QUIET_PERIOD_MS, type FileChange } from '../../../src/watch/batcher.js';

describe('change batching', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('hands over nothing until the quiet period has passed with no new event', () => {
    const batches: FileChange[][] = [];
    const b = new Batcher((x) => batches.push(x));
    b.add({ path: '/p/a', kind: 'change' });
    vi.advanceTimersByTime(QUIET_PERIOD_MS - 1);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[{ path: '/p/a', kind: 'change' }]]);
  });

  it('uses a 500 ms quiet period, as compose does', () => {
    expect(QUIET_PERIOD_MS).toBe(500);
  });

  it('restarts the quiet period on every event, so a burst of saves is one batch', () => {
    const batches: FileChange[][] = [];
    const b = new Batcher((x) => batches.push(x));
    for (let i = 0; i < 5; i++) {
      b.add({ path: `/p/f${i}`, kind: 'change' });
      vi.advanceTimersByTime(400);
    }
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((c) => c.path)).toEqual(['/p/f0', '/p/f1', '/p/f2', '/p/f3', '/p/f4']);
  });

  it('keeps only the last event of a path: written then deleted is a deletion', () => {
    const batches: FileChange[][] = [];
    const b = new Batcher((x) => batches.push(x));
    b.add({ path: '/p/a', kind: 'change' });
    b.add({ path: '/p/b', kind: 'change' });
    b.add({ path: '/p/a', kind: 'delete' });
    vi.advanceTimersByTime(QUIET_PERIOD_MS);
    expect(batches).toEqual([
      [
        { path: '/p/b', kind: 'change' },
        { path: '/p/a', kind: 'delete' },
      ],
    ]);
  });

  it('starts a new batch after one was handed over, and cancel drops what is pending', () => {
    const batches: FileChange[][] = [];
    const b = new Batcher((x) => batches.push(x), 100);
    b.add({ path: '/p/a', kind: 'change' });
    vi.advanceTimersByTime(100);
    b.add({ path: '/p/b', kind: 'change' });
    vi.advanceTimersByTime(100);
    b.add({ path: '/p/c', kind: 'change' });
    b.cancel();
    vi.advanceTimersByTime(1000);
    expect(batches.map((x) => x.map((c) => c.path))).toEqual([['/p/a'], ['/p/b']]);
  });
});
