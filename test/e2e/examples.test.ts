// Every example's README is a script: its `cmp ...` lines run here, in order, in a copy of the folder,
// so a README and what cmp does cannot drift apart.
//
// Convention: the ```sh blocks of examples/<name>/README.md show plain commands to the reader; what each
// line must do is in an HTML comment right after the block (invisible when rendered), which repeats the
// block's `cmp` lines, in order, each with an optional check (other lines, like `curl`, are for the
// reader only):
//   <!-- checks: ...
//   cmp ps -a                  must exit 0
//   cmp ps -a  # expect: RE    must exit 0, and stdout+stderr must match the regular expression RE
//   cmp ps -a  # until: RE     re-run until it exits 0 and matches RE (the stack changes on its own)
//   cmp up -d  # fails: RE     must exit non-zero, and the output must match RE
//   cmp ps -a  # lacks: RE     must exit 0, and the output must NOT match RE
//   -->
// The comment's commands must be the block's, so the two cannot drift. RE is a JavaScript regular
// expression in multiline mode (`^`/`$` match at each line); it runs to the end of the line and must not
// contain ` #`. The README uses the project `name:` of its compose.yaml, so examples run one at a time;
// `cmp down -v` always runs at the end, then the leak check. A README must end with its own
// `cmp ... down -v`, so that a reader who follows it leaves nothing behind either.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { shellSplit } from '../../src/loader/normalize/shell-split.js';
import { assertNoLeaks } from '../setup/leaks.js';
import { EXAMPLES, cmp, exampleCopy, pollUntil, type CmpResult } from './helpers.js';

type Check = 'expect' | 'until' | 'fails' | 'lacks';

interface Step {
  line: string;
  args: string[];
  check?: { kind: Check; re: RegExp };
}

function stepOf(text: string): Step {
  const m = /^(.*?)\s+#\s*(expect|until|fails|lacks):\s?(.*)$/.exec(text);
  const command = m ? (m[1] ?? '') : text.replace(/\s+#.*$/, '');
  const step: Step = { line: command, args: shellSplit(command).slice(1) };
  if (m) step.check = { kind: m[2] as Check, re: new RegExp(m[3] ?? '', 'm') };
  return step;
}

/** The `cmp` lines of a README's sh blocks, with the checks of the comment that follows each block. */
function readmeSteps(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\S*)/.exec(lines[i] ?? '');
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```/.test(lines[end] ?? '')) end++;
    const isSh = fence[1] === 'sh' || fence[1] === 'bash';
    const shown = lines.slice(i + 1, end).map((l) => l.trim());
    i = end;
    if (!isSh) continue;
    const block = shown.filter((l) => l.startsWith('cmp ')).map(stepOf);
    let next = end + 1;
    while (next < lines.length && (lines[next] ?? '').trim() === '') next++;
    if (!(lines[next] ?? '').startsWith('<!-- checks')) {
      steps.push(...block);
      continue;
    }
    const checks: Step[] = [];
    for (let j = next + 1; j < lines.length && !(lines[j] ?? '').startsWith('-->'); j++) {
      const text = (lines[j] ?? '').trim();
      if (text.startsWith('cmp ')) checks.push(stepOf(text));
    }
    expect(
      checks.map((c) => c.line),
      'the checks comment repeats the block above',
    ).toEqual(block.map((b) => b.line));
    steps.push(...checks);
  }
  return steps;
}

function describeResult(step: Step, r: CmpResult): string {
  return `${step.line}\n  exit ${r.code}\n  stdout: ${r.stdout}\n  stderr: ${r.stderr}`;
}

async function runStep(dir: string, step: Step): Promise<void> {
  const run = (): Promise<CmpResult> => cmp(step.args, { cwd: dir, timeoutMs: 90_000 });
  const check = step.check;
  if (check?.kind === 'until') {
    let last: CmpResult | undefined;
    try {
      await pollUntil(
        step.line,
        async () => {
          last = await run();
          return last.code === 0 && check.re.test(last.stdout + last.stderr);
        },
        60_000,
        500,
      );
    } catch {
      throw new Error(`never matched /${check.re.source}/: ${last ? describeResult(step, last) : step.line}`);
    }
    return;
  }
  const r = await run();
  const out = r.stdout + r.stderr;
  const what = describeResult(step, r);
  if (check?.kind === 'fails') expect(r.code, what).not.toBe(0);
  else expect(r.code, what).toBe(0);
  if (check?.kind === 'lacks') expect(out, what).not.toMatch(check.re);
  else if (check) expect(out, what).toMatch(check.re);
}

const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(EXAMPLES, d.name, 'README.md')))
  .map((d) => d.name)
  .filter((name) => readmeSteps(readFileSync(join(EXAMPLES, name, 'README.md'), 'utf8')).length > 0);

// A project's supervisor exits by itself a moment after its last container is gone: poll, don't sleep.
afterEach(() =>
  pollUntil(
    'no cmp resources left',
    async () => {
      await assertNoLeaks();
      return true;
    },
    15_000,
    250,
  ),
);

describe('examples/*/README.md, run as written', () => {
  it('finds the quickstart and the pitfall examples', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'quickstart',
        'pitfall-ready-vs-started',
        'pitfall-restart-loop',
        'pitfall-network-scope',
        'pitfall-ip-order',
        'pitfall-one-shot',
      ]),
    );
  });

  for (const name of examples) {
    it(`${name}: every documented command does what the README says`, { timeout: 300_000 }, async () => {
      const steps = readmeSteps(readFileSync(join(EXAMPLES, name, 'README.md'), 'utf8'));
      expect(steps.at(-1)?.args.slice(-2)).toEqual(['down', '-v']);
      const dir = exampleCopy(name);
      try {
        for (const step of steps) await runStep(dir, step);
      } finally {
        // The README ends with `cmp down -v` too; this one is for a README that failed half-way.
        await cmp(['down', '-v', '-t', '1'], { cwd: dir });
      }
    });
  }
});
