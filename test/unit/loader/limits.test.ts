// Hostile compose projects through the built `cmp`: files that are devices, FIFOs or huge, alias and
// merge-key bombs, long extends chains, absurd scale, self-multiplying variables. Each must end in
// one located error line (or load, where the shape is legitimate), using less than 5 s of CPU and
// 300 MB of memory as /usr/bin/time reports them. A hang (a FIFO read) is caught by a kill after
// 60 s, far above any real run. Node is given `--` before the script: Node 20 itself opens any
// `--env-file` argument it sees after the script name (nodejs/node#54232).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = resolve(import.meta.dirname, '../../../dist/bin/cmp.js');
const root = mkdtempSync(join(tmpdir(), 'cmp-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CPU_SECONDS = 5;
const MAX_RSS_KB = 300 * 1024;

interface Shape {
  files: Record<string, string>;
  fifos?: string[];
  args?: string[];
  stdin?: string;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  cpu: number;
  rssKb: number;
}

let n = 0;
function run(shape: Shape): Outcome & { dir: string } {
  const dir = join(root, String(n++));
  execFileSync('mkdir', ['-p', dir]);
  for (const [name, text] of Object.entries(shape.files)) writeFileSync(join(dir, name), text);
  for (const f of shape.fifos ?? []) execFileSync('mkfifo', [join(dir, f)]);
  const usage = join(dir, '.usage');
  const args = shape.args ?? ['config', '-q'];
  const stdin = shape.stdin ? openSync(shape.stdin, 'r') : 'pipe';
  const r = spawnSync(
    '/usr/bin/time',
    ['-o', usage, '-f', '%U %S %M', process.execPath, '--', cli, ...args],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', HOME: '/home/tester' },
      stdio: [stdin, 'pipe', 'pipe'],
    },
  );
  if (typeof stdin === 'number') closeSync(stdin);
  const [user, sys, rss] = readFileSync(usage, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return {
    dir,
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    cpu: (user ?? 0) + (sys ?? 0),
    rssKb: rss ?? 0,
  };
}

/** Rejected with one line naming `where` and saying `what`, within the budget. */
function expectRejected(o: Outcome & { dir: string }, where: RegExp, what: RegExp): void {
  const line = o.stderr.replaceAll(o.dir, '<dir>').trimEnd();
  expect(line.split('\n'), o.stderr).toHaveLength(1);
  expect(line).toMatch(where);
  expect(line).toMatch(what);
  expect(o.code).toBe(1);
  expect(o.stdout).toBe('');
  expectWithinBudget(o);
}

function expectWithinBudget(o: Outcome): void {
  expect(o.cpu, 'CPU seconds').toBeLessThan(CPU_SECONDS);
  expect(o.rssKb, 'max RSS in kB').toBeLessThan(MAX_RSS_KB);
}

const web = (extra: string): string => `services:\n  web:\n    image: busybox\n${extra}`;

describe('files the loader reads', () => {
  it('refuses env_file: /dev/zero instead of reading it forever', () => {
    const o = run({ files: { 'compose.yaml': web('    env_file: /dev/zero\n') } });
    expectRejected(o, /^<dir>\/compose\.yaml:4:5: /, /env file \/dev\/zero is not a regular file/);
  });

  it('refuses a FIFO as env_file instead of blocking on it', () => {
    const o = run({ files: { 'compose.yaml': web('    env_file:\n      - ./pipe\n') }, fifos: ['pipe'] });
    expectRejected(o, /^<dir>\/compose\.yaml:5:9: /, /env file <dir>\/pipe is not a regular file/);
  });

  it('refuses a FIFO as .env, and /dev/zero as --env-file', () => {
    const fifo = run({ files: { 'compose.yaml': web('') }, fifos: ['.env'] });
    expectRejected(fifo, /^<dir>\/\.env: /, /env file <dir>\/\.env is not a regular file/);
    const zero = run({
      files: { 'compose.yaml': web('') },
      args: ['--env-file', '/dev/zero', 'config', '-q'],
    });
    expectRejected(zero, /^\/dev\/zero: /, /not a regular file/);
  });

  it('refuses an env file over 1 MiB, saying where it is named', () => {
    const big = `A=${'x'.repeat(1024 * 1024 + 16)}\n`;
    const o = run({ files: { 'compose.yaml': web('    env_file: big.env\n'), 'big.env': big } });
    expectRejected(o, /^<dir>\/compose\.yaml:4:5: /, /env file <dir>\/big\.env is larger than 1 MiB/);
  });

  it('refuses FIFOs as include and extends files', () => {
    const inc = run({ files: { 'compose.yaml': `include:\n  - ./pipe\n${web('')}` }, fifos: ['pipe'] });
    expectRejected(inc, /^<dir>\/compose\.yaml:2:5: /, /compose file <dir>\/pipe is not a regular file/);
    const ext = run({
      files: { 'compose.yaml': web('    extends:\n      file: ./pipe\n      service: base\n') },
      fifos: ['pipe'],
    });
    expectRejected(ext, /^<dir>\/compose\.yaml:5:7: /, /compose file <dir>\/pipe is not a regular file/);
  });

  it('refuses a compose file over 2 MiB, and stops reading stdin after 2 MiB', () => {
    const big = web(`    command: "${'a'.repeat(2 * 1024 * 1024)}"\n`);
    const file = run({ files: { 'compose.yaml': big } });
    expectRejected(file, /^<dir>\/compose\.yaml: /, /compose file <dir>\/compose\.yaml is larger than 2 MiB/);
    const stdin = run({ files: {}, args: ['-f', '-', 'config', '-q'], stdin: '/dev/zero' });
    expectRejected(stdin, /^<stdin>: /, /larger than 2 MiB/);
  });
});

describe('expansion bombs', () => {
  it('refuses 20,000 aliases (a 120 KB file) at the first alias over the limit', () => {
    const items = Array.from({ length: 20_000 }, () => '*a').join(', ');
    const text = web(`    labels: {x: &a v}\n    command: [${items}]\n`);
    expect(text.length).toBeGreaterThan(60_000);
    const o = run({ files: { 'compose.yaml': text } });
    expectRejected(o, /^<dir>\/compose\.yaml:5:\d+: /, /more than 10000 aliases in one document/);
  });

  it('refuses a billion-laughs alias bomb', () => {
    const lines = ['x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) {
      lines.push(`x-${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
    }
    const o = run({ files: { 'compose.yaml': `${lines.join('\n')}\n${web('')}` } });
    expectRejected(o, /^<dir>\/compose\.yaml:\d+:\d+: /, /too many alias expansions/);
  });

  it('refuses lists nested 150 and 100,000 deep, and 100,000 compact sequences on one line', () => {
    const nest = (d: number): string => `${'['.repeat(d)}${']'.repeat(d)}`;
    for (const text of [nest(150), nest(100_000), `\n${'- '.repeat(100_000)}x`]) {
      const o = run({ files: { 'compose.yaml': web(`    command: ${text}\n`) } });
      expectRejected(o, /^<dir>\/compose\.yaml:\d+:\d+: /, /nested more than 100 deep/);
    }
  });

  it('loads 1,000 services sharing one merge anchor', () => {
    const lines = ['x-common: &common', '  image: busybox:1.36', '  restart: unless-stopped', 'services:'];
    for (let i = 0; i < 1000; i++) lines.push(`  s${i}:`, '    <<: *common', `    command: echo ${i}`);
    const o = run({ files: { 'compose.yaml': `${lines.join('\n')}\n` }, args: ['config', '--services'] });
    expect(o.stderr).toBe('');
    expect(o.stdout.trim().split('\n')).toHaveLength(1000);
    expectWithinBudget(o);
  });

  it('loads a 100-deep extends chain and refuses a 1,000-deep one at the link past the limit', () => {
    const chain = (len: number): string => {
      const lines = ['services:', `  s${len - 1}:`, '    image: busybox'];
      for (let i = len - 2; i >= 0; i--)
        lines.push(`  s${i}:`, `    extends: s${i + 1}`, `    environment: [V${i}=${i}]`);
      return `${lines.join('\n')}\n`;
    };
    const ok = run({ files: { 'compose.yaml': chain(100) }, args: ['config', '--services'] });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expectWithinBudget(ok);
    const long = run({ files: { 'compose.yaml': chain(1000) } });
    expectRejected(long, /^<dir>\/compose\.yaml:\d+:5: /, /extends chain longer than 100 services/);
  });

  it('refuses scale: 1e9 in a dry run before planning a container', () => {
    const o = run({ files: { 'compose.yaml': web('    scale: 1e9\n') }, args: ['--dry-run', 'up'] });
    expectRejected(o, /^<dir>\/compose\.yaml:4:5: /, /scale 1000000000 is more than 1000 containers/);
    const replicas = run({
      files: { 'compose.yaml': web('    deploy:\n      replicas: 5000\n') },
      args: ['--dry-run', 'up'],
    });
    expectRejected(replicas, /^<dir>\/compose\.yaml:5:7: /, /scale 5000 is more than 1000 containers/);
  });

  it('refuses variables that double themselves line by line in .env', () => {
    const dotenv = ['A=0123456789abcdef', ...Array.from({ length: 40 }, () => 'A=$A$A')].join('\n');
    const o = run({ files: { 'compose.yaml': web(''), '.env': dotenv } });
    expectRejected(o, /^<dir>\/\.env:\d+:1: /, /longer than 1048576 characters after interpolation/);
  });

  it('refuses a value that repeats a large variable, and many values that each stay under the cap', () => {
    const dotenv = `BIG=${'x'.repeat(512 * 1024)}\n`;
    const one = run({
      files: { 'compose.yaml': web(`    command: "${'${BIG}'.repeat(100)}"\n`), '.env': dotenv },
    });
    expectRejected(one, /^<dir>\/compose\.yaml:4:5: /, /longer than 1048576 characters after interpolation/);
    const labels = Array.from({ length: 100 }, (_, i) => `      l${i}: "\${BIG}"`).join('\n');
    const many = run({ files: { 'compose.yaml': web(`    labels:\n${labels}\n`), '.env': dotenv } });
    expectRejected(many, /^<dir>\/compose\.yaml:\d+:7: /, /more than 33554432 characters longer/);
  });

  it('refuses variables nested 1,000 deep', () => {
    const nested = `${'${U:-'.repeat(1000)}x${'}'.repeat(1000)}`;
    const o = run({ files: { 'compose.yaml': web(`    command: "${nested}"\n`) } });
    expectRejected(o, /^<dir>\/compose\.yaml:4:5: /, /variables nested more than 20 deep/);
  });

  it('reads an env file named by 1,000 services once, and bounds the variables it gives them', () => {
    const vars = Array.from({ length: 1000 }, (_, i) => `V${i}=${i}`).join('\n');
    const lines = ['services:'];
    for (let i = 0; i < 1000; i++) lines.push(`  s${i}:`, '    image: busybox', '    env_file: common.env');
    const o = run({ files: { 'compose.yaml': `${lines.join('\n')}\n`, 'common.env': vars } });
    expectRejected(o, /^<dir>\/compose\.yaml:\d+:5: /, /more than 200000 variables over all services/);
  });
});
