// What `cmp lint` prints and returns: the text line shape, JSON, SARIF 2.1.0, severities configured in
// x-cmp.lint.rules, the service filter and the exit code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/commands/lint.js';
import { formatJson, formatSarif, formatText, RULES } from '../../../src/lint/index.js';
import type { GlobalOptions } from '../../../src/cli/globals.js';
import { lintDir } from './load.js';

const STACK = `services:
  web:
    image: example/web:1.0
    privileged: true
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmp-lint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function project(yaml: string): string {
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return dir;
}

const globals: GlobalOptions = { file: [], profile: [], envFile: [], verbose: false, dryRun: false };

async function cli(format: string, args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const cwd = vi.spyOn(process, 'cwd').mockReturnValue(dir);
  try {
    const code = await run({ ...globals, file: [join(dir, 'compose.yaml')] }, { format }, args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    cwd.mockRestore();
  }
}

describe('lint output', () => {
  it('prints file:line:col: severity rule-id: message (fix: ...) and exits 1 on an error', async () => {
    project(STACK);
    const r = await cli('text');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'compose.yaml:7:9: error healthy-without-healthcheck: web waits for db to be healthy, but db has no healthcheck (unless its image defines a HEALTHCHECK) (fix: add a healthcheck to db, or use condition: service_started)\n',
    );
    expect(r.out).toMatch(/^compose\.yaml:4:5: warning privileged: /m);
    expect(r.err).toBe('1 error, 1 warning, 0 info\n');
  });

  it('exits 0 when only warnings remain', async () => {
    project(STACK.replace('service_healthy', 'service_started'));
    const r = await cli('text');
    expect(r.out).toContain('warning readiness-without-healthcheck');
    expect(r.code).toBe(0);
  });

  it('takes severities from x-cmp.lint.rules', async () => {
    project(
      `${STACK}x-cmp:\n  lint:\n    rules:\n      healthy-without-healthcheck: warning\n      privileged: off\n`,
    );
    const r = await cli('text');
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning healthy-without-healthcheck');
    expect(r.out).not.toContain('privileged');
  });

  it('refuses an unknown rule id with its location and a suggestion', async () => {
    project(`${STACK}x-cmp:\n  lint:\n    rules:\n      privilegd: off\n`);
    await expect(cli('text')).rejects.toThrow(/unknown lint rule "privilegd"/);
    const err = await cli('text').catch((e: { format(): string }) => e.format());
    expect(err).toBe(
      `${join(dir, 'compose.yaml')}:13:7: unknown lint rule "privilegd" (did you mean "privileged"?)`,
    );
  });

  it('keeps only the named services, and rejects unknown ones', async () => {
    project(STACK);
    const r = await cli('json', ['db']);
    expect(JSON.parse(r.out)).toEqual({ findings: [], counts: { error: 0, warning: 0, info: 0 } });
    expect(r.code).toBe(0);
    await expect(cli('text', ['dbx'])).rejects.toThrow('no such service: dbx');
  });

  it('prints JSON with flat locations', async () => {
    project(STACK);
    const r = await cli('json');
    const parsed = JSON.parse(r.out) as {
      findings: Record<string, unknown>[];
      counts: Record<string, number>;
    };
    expect(parsed.counts).toEqual({ error: 1, warning: 1, info: 0 });
    expect(parsed.findings[0]).toMatchObject({
      rule: 'privileged',
      severity: 'warning',
      service: 'web',
      file: 'compose.yaml',
      line: 4,
      col: 5,
    });
  });

  it('prints SARIF 2.1.0 with every rule and located results', async () => {
    project(STACK);
    const r = await cli('sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; help: { text: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
          }[];
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const runOne = log.runs[0];
    expect(runOne?.tool.driver.name).toBe('cmp');
    expect(runOne?.tool.driver.rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
    for (const rule of runOne?.tool.driver.rules ?? []) expect(rule.help.text).toMatch(/^Fix: /);
    const healthy = runOne?.results.find((x) => x.ruleId === 'healthy-without-healthcheck');
    expect(healthy?.level).toBe('error');
    expect(runOne?.tool.driver.rules[healthy?.ruleIndex ?? -1]?.id).toBe('healthy-without-healthcheck');
    expect(healthy?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'compose.yaml' },
      region: { startLine: 7, startColumn: 9 },
    });
  });

  it('locates values in the file that set them when several files are merged', async () => {
    project(STACK);
    writeFileSync(join(dir, 'override.yaml'), 'services:\n  db:\n    ports:\n      - "5432:5432"\n');
    const { loadForLint, lint } = await import('../../../src/lint/index.js');
    const ctx = await loadForLint({
      cwd: dir,
      files: ['compose.yaml', 'override.yaml'],
      envFiles: [],
      profiles: [],
      interpolate: true,
      env: {},
    });
    const f = lint(ctx).find((x) => x.rule === 'database-port-exposed');
    expect(f?.location).toEqual({ file: join(dir, 'override.yaml'), line: 4, col: 9 });
  });

  it('formats nothing for a clean project', async () => {
    const findings = await lintDir(project('services:\n  web:\n    image: example/web:1.0\n'));
    expect(findings).toEqual([]);
    expect(formatText(findings, dir)).toBe('');
    expect(JSON.parse(formatJson(findings, dir))).toMatchObject({ findings: [] });
    expect(JSON.parse(formatSarif(findings, dir))).toMatchObject({ runs: [{ results: [] }] });
  });
});
