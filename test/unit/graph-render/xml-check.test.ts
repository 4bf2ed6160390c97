import { describe, expect, it } from 'vitest';
import { xmlProblems } from './xml-check.js';

describe('the SVG well-formedness check', () => {
  it('accepts balanced markup', () => {
    expect(
      xmlProblems('<?xml version="1.0"?>\n<svg a="1"><g><rect x="1"/></g><text>a &amp; b</text></svg>\n'),
    ).toEqual([]);
  });

  it('finds what a broken renderer would write', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><rect x=1/></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg></svg><svg></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg>')).not.toEqual([]);
  });
});
