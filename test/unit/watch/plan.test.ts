import { describe, expect, it } from 'vitest';
import type { WatchRule } from '../../../src/model/types.js';
import { ruleFilter } from '../../../src/watch/ignore.js';
import { batchLine, planBatch } from '../../../src/watch/plan.js';
import type { ServiceRules } from '../../../src/watch/rules.js';

function entry(...rules: WatchRule[]): ServiceRules {
  return { service: 'web', rules: rules.map((rule) => ({ rule, accepts: ruleFilter({ rule }) })) };
}
const sync: WatchRule = { action: 'sync', path: '/p/src', target: '/app' };

describe('what a batch does', () => {
  it('sync copies changed files and deletes deleted ones, at their container paths', () => {
    const plan = planBatch(entry(sync), [
      { path: '/p/src/a.js', kind: 'change' },
      { path: '/p/src/old.js', kind: 'delete' },
    ]);
    expect(plan?.copies).toEqual([{ hostPath: '/p/src/a.js', containerPath: '/app/a.js' }]);
    expect(plan?.deletions).toEqual(['/app/old.js']);
    expect(plan?.restart).toBe(false);
    expect(plan?.rebuild).toBe(false);
    expect(batchLine(plan!)).toBe('Syncing service web after 2 changes were detected');
  });

  it('is nothing at all when no rule covers the changes (or they are ignored)', () => {
    expect(planBatch(entry(sync), [{ path: '/p/docs/a.md', kind: 'change' }])).toBeUndefined();
    expect(planBatch(entry(sync), [{ path: '/p/src/.a.js.swp', kind: 'change' }])).toBeUndefined();
  });

  it('sync+restart copies then restarts; restart alone only restarts', () => {
    const a = planBatch(entry({ ...sync, action: 'sync+restart' }), [{ path: '/p/src/a', kind: 'change' }]);
    expect(a?.copies).toHaveLength(1);
    expect(a?.restart).toBe(true);
    const b = planBatch(entry({ action: 'restart', path: '/p/conf' }), [
      { path: '/p/conf/x.ini', kind: 'change' },
    ]);
    expect(b?.copies).toEqual([]);
    expect(b?.restart).toBe(true);
    expect(batchLine(b!)).toBe('Restarting service web after 1 change was detected');
  });

  it('sync+exec copies and runs the hook once per rule, however many files changed', () => {
    const exec = { command: ['kill', '-HUP', '1'] };
    const plan = planBatch(entry({ ...sync, action: 'sync+exec', exec }), [
      { path: '/p/src/a', kind: 'change' },
      { path: '/p/src/b', kind: 'change' },
    ]);
    expect(plan?.copies).toHaveLength(2);
    expect(plan?.execs).toEqual([exec]);
  });

  it('a rebuild makes the rest moot', () => {
    const plan = planBatch(
      entry(sync, { action: 'rebuild', path: '/p/package.json' }, { action: 'restart', path: '/p/src' }),
      [
        { path: '/p/src/a', kind: 'change' },
        { path: '/p/package.json', kind: 'change' },
      ],
    );
    expect(plan?.rebuild).toBe(true);
    expect(plan?.copies).toEqual([]);
    expect(plan?.restart).toBe(false);
    expect(batchLine(plan!)).toBe('Rebuilding service web after 2 changes were detected');
  });
});
