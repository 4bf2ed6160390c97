import { describe, expect, it } from 'vitest';
import { containerPathFor } from '../../../src/watch/mapping.js';

describe('host path to container path', () => {
  const rule = { action: 'sync' as const, path: '/proj/src', target: '/app/src/' };

  it('puts a file at target plus its place under path', () => {
    expect(containerPathFor(rule, '/proj/src/index.js')).toBe('/app/src/index.js');
    expect(containerPathFor(rule, '/proj/src/a/b/c.txt')).toBe('/app/src/a/b/c.txt');
  });

  it('maps the path itself to the target (a rule on a single file)', () => {
    expect(
      containerPathFor(
        { action: 'sync', path: '/proj/package.json', target: '/app/package.json' },
        '/proj/package.json',
      ),
    ).toBe('/app/package.json');
  });

  it('maps nothing outside the path, and nothing for a rule without target', () => {
    expect(containerPathFor(rule, '/proj/srcx/a')).toBeUndefined();
    expect(containerPathFor(rule, '/elsewhere/a')).toBeUndefined();
    expect(containerPathFor({ action: 'rebuild', path: '/proj' }, '/proj/a')).toBeUndefined();
  });
});
