import { describe, expect, it } from 'vitest';
import { isEditorNoise, ruleFilter } from '../../../src/watch/ignore.js';
import type { WatchRule } from '../../../src/model/types.js';

const rule = (extra: Partial<WatchRule> = {}): WatchRule => ({
  action: 'sync',
  path: '/proj/src',
  target: '/app',
  ...extra,
});

describe('watch ignore rules', () => {
  it.each([
    '/proj/src/.main.ts.swp',
    '/proj/src/main.ts.swo',
    '/proj/src/main.ts~',
    '/proj/src/.#main.ts',
    '/proj/src/#main.ts#',
    '/proj/src/4913',
    '/proj/src/.DS_Store',
    '/proj/src/main.ts___jb_tmp___',
    '/proj/src/main.ts___jb_old___',
  ])('ignores the editor scratch file %s', (p) => {
    expect(isEditorNoise(p)).toBe(true);
    expect(ruleFilter({ rule: rule() })(p)).toBe(false);
  });

  it('reacts to ordinary files under the path and nothing outside it', () => {
    const f = ruleFilter({ rule: rule() });
    expect(f('/proj/src/main.ts')).toBe(true);
    expect(f('/proj/src/lib/util.ts')).toBe(true);
    expect(f('/proj/src')).toBe(true);
    expect(f('/proj/srcs/main.ts')).toBe(false);
    expect(f('/proj/other/main.ts')).toBe(false);
  });

  it('never reacts to .git', () => {
    const f = ruleFilter({ rule: rule() });
    expect(f('/proj/src/.git/index')).toBe(false);
    expect(f('/proj/src/.git')).toBe(false);
  });

  it("applies the rule's ignore patterns relative to its path, with * ? and **", () => {
    const f = ruleFilter({ rule: rule({ ignore: ['node_modules/', '*.log', '**/tmp', 'cache?'] }) });
    expect(f('/proj/src/node_modules/x/index.js')).toBe(false);
    expect(f('/proj/src/app.log')).toBe(false);
    expect(f('/proj/src/deep/a/tmp/file')).toBe(false);
    expect(f('/proj/src/cache1/x')).toBe(false);
    expect(f('/proj/src/lib/app.log')).toBe(true);
    expect(f('/proj/src/cache12/x')).toBe(true);
  });

  it('with include, reacts only to what it names', () => {
    const f = ruleFilter({ rule: rule({ include: ['*.ts', 'assets/**'] }) });
    expect(f('/proj/src/main.ts')).toBe(true);
    expect(f('/proj/src/assets/img/logo.png')).toBe(true);
    expect(f('/proj/src/readme.md')).toBe(false);
  });

  it("applies the build context's .dockerignore relative to the context, with ! exceptions", () => {
    const f = ruleFilter({
      rule: rule(),
      buildContext: '/proj',
      dockerignore: '# comment\nsrc/generated\n*.md\n**/*.bak\n!src/KEEP.md\n',
    });
    expect(f('/proj/src/generated/out.js')).toBe(false);
    expect(f('/proj/src/x.bak')).toBe(false);
    expect(f('/proj/src/KEEP.md')).toBe(true);
    expect(f('/proj/src/main.ts')).toBe(true);
  });
});
