// The two tools a scenario runs on: Docker Compose v2.26 (the oracle, on the engine the tests start) and
// `cmp` on the embedded runtime. Each step's result is reduced to what a user or a script relies on
// (exit codes, trimmed output, which containers exist in which state), so the two can be compared.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DOCKER_SOCKET } from '../setup/dockerd.js';
import { cmp, type CmpResult } from '../e2e/helpers.js';
import type { Scenario, Step } from './scenarios.js';

export type ToolName = 'compose' | 'cmp';

/** What one step showed, in a form both tools can match exactly. */
export interface Observed {
  code?: number;
  ok?: boolean;
  out?: string;
  /** `service#number state[(exit code)][ health]`, sorted; one-off containers are `service#run`. */
  ps?: string[];
}

const COMPOSE_VERSION = /version v?2\.26\./;

/** The oracle must be there: a run without it fails here, with how to get it, rather than skipping. */
export function requireComposeV2(): string {
  let version: string;
  try {
    version = execFileSync('docker', ['compose', 'version'], { encoding: 'utf8' }).trim();
  } catch (e) {
    throw new Error(
      `\`docker compose version\` failed (${(e as Error).message.split('\n')[0]}): Docker Compose v2.26, ` +
        'the oracle of test/oracle/, is missing; install it with `sudo bash scripts/install-compose-v2.sh`',
      { cause: e },
    );
  }
  if (!COMPOSE_VERSION.test(version))
    throw new Error(
      `\`docker compose version\` says "${version}"; the oracle scenarios are pinned to v2.26 ` +
        '(scripts/install-compose-v2.sh)',
    );
  return version;
}

function dockerCompose(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CmpResult> {
  return new Promise((resolve) => {
    execFile(
      'docker',
      ['compose', ...args],
      {
        cwd,
        env: { ...process.env, DOCKER_HOST: `unix://${DOCKER_SOCKET}`, ...env },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One tool bound to one project folder and name. */
export interface Session {
  tool: ToolName;
  dir: string;
  project: string;
  run(args: string[], env?: Record<string, string>): Promise<CmpResult>;
}

/** A fresh folder holding the scenario's files, and a project name no other run uses. */
export function openSession(tool: ToolName, scenario: Scenario): Session {
  const dir = mkdtempSync(join(tmpdir(), `cmp-oracle-${tool}-`));
  writeFileSync(join(dir, 'compose.yaml'), scenario.compose);
  for (const [name, text] of Object.entries(scenario.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const project = `orc${randomBytes(3).toString('hex')}${tool === 'compose' ? 'd' : 'c'}`;
  const run = (args: string[], env: Record<string, string> = {}): Promise<CmpResult> =>
    tool === 'compose'
      ? dockerCompose(['-p', project, ...args], dir, env)
      : cmp(['--runtime', 'embedded', '-p', project, ...args], { cwd: dir, env });
  return { tool, dir, project, run };
}

interface PsLine {
  Name: string;
  Service: string;
  State: string;
  Health?: string;
  ExitCode?: number;
}

function psRows(stdout: string, project: string): string[] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  // compose prints `[]` or a JSON array in some versions and JSON Lines in others: take both.
  const rows: PsLine[] = lines.flatMap((l) => {
    const v = JSON.parse(l) as PsLine | PsLine[];
    return Array.isArray(v) ? v : [v];
  });
  return rows
    .map((r) => {
      const number = new RegExp(`^${project}-${r.Service}-(\\d+)$`).exec(r.Name)?.[1] ?? 'run';
      const exit = r.State === 'exited' ? `(${r.ExitCode ?? 0})` : '';
      const health = r.Health ? ` ${r.Health}` : '';
      return `${r.Service}#${number} ${r.State}${exit}${health}`;
    })
    .sort();
}

/** Control sequences: compose clears each line of `logs` (ESC [2K) even when stdout is no terminal. */
// eslint-disable-next-line no-control-regex
const CSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Output as a script reads it: no control sequences, trailing blanks or CRs, the project's name replaced. */
function normalOutput(text: string, project: string, sortLines: boolean): string {
  let lines = text
    .replace(CSI, '')
    .replaceAll(project, '<project>')
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trimEnd())
    .filter((l) => l !== '');
  if (sortLines) lines = [...lines].sort();
  return lines.join('\n');
}

/** Runs one step and reduces it to what the step says to observe. */
export async function observeStep(s: Session, step: Step): Promise<Observed> {
  if ('ps' in step) {
    const r = await s.run(['ps', '-a', '--format', 'json', ...step.ps]);
    if (r.code !== 0) throw new Error(`${s.tool} ps failed (${r.code}): ${r.stderr}`);
    return { ps: psRows(r.stdout, s.project) };
  }
  const r = await s.run(
    step.args.map((a) => a.replaceAll('<project>', s.project)),
    step.env,
  );
  const see = step.see ?? ['code'];
  const seen: Observed = {};
  if (see.includes('code')) seen.code = r.code;
  if (see.includes('ok')) seen.ok = r.code === 0;
  if (see.includes('out') || see.includes('lines'))
    seen.out = normalOutput(r.stdout, s.project, see.includes('lines'));
  return seen;
}

/** What to show when a step's observations differ: the raw output helps more than the reduced one. */
export function describeStep(step: Step): string {
  return 'ps' in step ? `ps -a ${step.ps.join(' ')}`.trim() : step.args.join(' ');
}
