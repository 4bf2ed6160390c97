// Error lines echo what a compose file or the command line said. Through the built `cmp`: terminal
// escape sequences in a service name, a value or an option come out as visible `\x1b` text, never as
// raw control characters, and a 100 KB value leaves a line of bounded length.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = resolve(import.meta.dirname, '../../../dist/bin/cmp.js');
const dir = mkdtempSync(join(tmpdir(), 'cmp-error-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Clears the screen, sets the window title and turns text red: what a hostile file would try. */
const ESCAPES = '\u001b[2J\u001b]0;owned\u0007\u001b[31m\r\u009b1m\u202e';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

function configQ(
  compose: string,
  args: string[] = ['config', '-q'],
): { code: number | null; stderr: string } {
  writeFileSync(join(dir, 'compose.yaml'), compose);
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/home/tester' },
  });
  return { code: r.status, stderr: r.stderr };
}

function expectSafeLine(stderr: string): string {
  const lines = stderr.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(1);
  const line = lines[0] as string;
  expect(line).not.toMatch(RAW_CONTROL);
  expect(line.length).toBeLessThanOrEqual(1000);
  return line;
}

describe('error text from hostile input', () => {
  it('escapes control sequences in a service name', () => {
    const name = JSON.stringify(`web${ESCAPES}`);
    const r = configQ(`services:\n  ${name}:\n    image: busybox\n    depends_on: [nope]\n`);
    expect(r.code).toBe(1);
    const line = expectSafeLine(r.stderr);
    expect(line).toContain('web\\x1b[2J\\x1b]0;owned\\x07\\x1b[31m\\r\\x9b1m\\u202e');
    expect(line).toContain('has an invalid name');
  });

  it('escapes control sequences in a value', () => {
    const dep = JSON.stringify(`db${ESCAPES}`);
    const r = configQ(`services:\n  web:\n    image: busybox\n    depends_on: [${dep}]\n`);
    expect(r.code).toBe(1);
    expect(expectSafeLine(r.stderr)).toContain('db\\x1b[2J');
  });

  it('bounds a 100 KB value to a short line that keeps the location and the message', () => {
    const big = 'x'.repeat(100 * 1024);
    const r = configQ(`services:\n  web:\n    image: busybox\n    depends_on: [${big}]\n`);
    expect(r.code).toBe(1);
    const line = expectSafeLine(r.stderr);
    expect(line.length).toBeLessThan(400);
    expect(line).toMatch(/compose\.yaml:4:\d+: service "web" depends on undefined service "x+…x+"/);
  });

  it('escapes control sequences in an unknown option', () => {
    const r = configQ('services:\n  web:\n    image: busybox\n', ['config', `--x${ESCAPES}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('--x\\x1b[2J');
  });
});
