// getting-started.md's `up --timeline` sample is real output; this checks it still has the shape the
// renderer prints (rows, healthy marks, waits, legend), so a change to the view shows up here.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderTimeline } from '../../../src/ui/timeline.js';
import { upScript } from '../ui/script.js';

const DOC = readFileSync(join(resolve(import.meta.dirname, '../../..'), 'docs/getting-started.md'), 'utf8');

function timelineSample(): string[] {
  const start = DOC.indexOf('```text\nTimeline:');
  expect(start).toBeGreaterThan(0);
  return DOC.slice(start + 8, DOC.indexOf('```', start + 8))
    .trimEnd()
    .split('\n');
}

/** A line's shape: digits and bar characters blurred, so only the layout is compared. */
function shape(line: string): string {
  return line
    .replace(/\d+(\.\d+)?s/g, 'Ns')
    .replace(/\|[ =S\-HX]+\|/, '|bar|')
    .replace(/ +/g, ' ');
}

describe('docs/getting-started.md timeline sample', () => {
  it('is laid out as renderTimeline lays it out', () => {
    const sample = timelineSample();
    const rendered = renderTimeline(upScript.events).trimEnd().split('\n');
    expect(sample.at(-1)).toBe(rendered.at(-1)); // the legend
    expect(shape(sample[0] ?? '')).toBe('Timeline: 4 services in Ns');
    expect(shape(sample[1] ?? '')).toBe(shape(rendered[1] ?? ''));
    const row = (name: string): string => shape(sample.find((l) => l.startsWith(`${name} `)) ?? '');
    expect(row('store')).toBe('store |bar| created Ns started Ns healthy Ns');
    expect(row('api')).toBe('api |bar| created Ns started Ns healthy Ns');
    expect(row('web')).toBe('web |bar| created Ns started Ns');
    expect(sample).toContain(sample.find((l) => /^web +waited [\d.]+s for api \(service_healthy\)$/.test(l)));
    for (const line of sample.filter((l) => l.includes('|')))
      expect(line.indexOf('|', 10) - line.indexOf('|')).toBe(
        rendered[2]!.indexOf('|', 10) - rendered[2]!.indexOf('|'),
      );
  });
});
