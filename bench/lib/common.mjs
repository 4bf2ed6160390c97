// Shared by the runtime benchmarks: where cmp lives, the private state roots the benchmarks use (so they never
// touch a user's /var/lib/cmp or /run/cmp, and can delete everything they made), timing, statistics and tables.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'bin', 'cmp.js');
export const OUT = join(ROOT, 'bench', 'out');
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

// Private roots and an address pool of their own: the benchmarks must not collide with projects (or IPAM state)
// of a cmp already in use on this host.
export const CMP_ENV = {
  CMP_STATE_ROOT: process.env.BENCH_STATE_ROOT ?? '/var/lib/cmp-bench',
  CMP_RUN_ROOT: process.env.BENCH_RUN_ROOT ?? '/run/cmp-bench',
  CMP_NET_POOL: process.env.BENCH_NET_POOL ?? '10.213.0.0/16',
};

export function cmpEnv(extra = {}) {
  return { ...process.env, ...CMP_ENV, ...extra };
}

/** Runs a command to completion; returns wall time and output. Never throws. */
export function run(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: opts.timeoutMs ?? 300_000,
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    ms,
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    error: r.status === 0 ? undefined : firstLine(r.stderr || r.error?.message || `exit ${r.status}`),
  };
}

/** Like run(), but throws with the command's message when it fails. */
export function must(cmd, args, opts = {}) {
  const r = run(cmd, args, opts);
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error}`);
  return r;
}

export function cmp(args, opts = {}) {
  return run(process.execPath, [CLI, ...args], { ...opts, env: cmpEnv(opts.env) });
}

export function mustCmp(args, opts = {}) {
  const r = cmp(args, opts);
  if (r.error) throw new Error(`cmp ${args.join(' ')}: ${r.error}\n${r.stderr.slice(-2000)}`);
  return r;
}

/** Milliseconds from spawn to the first byte on stdout that contains `marker`, and to exit. */
export function timeToOutput(cmd, args, marker, opts = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let first;
    child.stdout.on('data', (c) => {
      out += String(c);
      if (first === undefined && out.includes(marker)) first = Number(process.hrtime.bigint() - t0) / 1e6;
    });
    child.stderr.on('data', (c) => (err += String(c)));
    child.on('error', (e) => resolve({ error: e.message }));
    child.on('close', (code) => {
      const total = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 || first === undefined)
        resolve({ error: firstLine(err || `exit ${code}, output ${out}`) });
      else resolve({ first, total });
    });
  });
}

/** The message lines of a failure (cmp's hint to rerun with --verbose is dropped). */
function firstLine(s) {
  const lines = String(s)
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('run again with --verbose') && !l.startsWith('{'));
  return lines.slice(-3).join(' / ');
}

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // idle + iowait count as idle
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}

/**
 * Waits (at most `maxMs`) until the machine has been at least 90% idle for 200 ms, so that a timed run does
 * not start while the previous tool is still winding down (dockerd keeps working for a while after
 * `docker-compose down` returns). Every tool's runs wait alike.
 */
export function waitIdle(maxMs = 3000) {
  const until = Date.now() + maxMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until) {
    const a = cpuTimes();
    Atomics.wait(pause, 0, 0, 200);
    const b = cpuTimes();
    if (b.total > a.total && (b.idle - a.idle) / (b.total - a.total) >= 0.9) return;
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
}

/** Nearest-rank percentile. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export function fmtMs(ms) {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  return ms >= 1000
    ? `${(ms / 1000).toFixed(2)} s`
    : ms >= 10
      ? `${ms.toFixed(0)} ms`
      : `${ms.toFixed(2)} ms`;
}

export function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function hostLine() {
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  const cpus = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('processor')).length;
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus} vCPU, kernel ${kernel}, Node ${process.version}`;
}

/** A fresh project folder under bench/out holding `yaml` as compose.yaml. */
export function projectDir(name, yaml) {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return dir;
}

/** RSS in kB of a process, from /proc/<pid>/status. */
export function rssKb(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const cleanups = [];

/** Registers an undo step; they run in reverse order at the end, on failure and on SIGINT/SIGTERM. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

async function runCleanups() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Runs a benchmark body, then every cleanup step; exit 1 if the body threw. */
export async function main(body) {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error('interrupted: cleaning up');
    void runCleanups().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code = 0;
  try {
    await body();
  } catch (e) {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    code = 1;
  }
  await runCleanups();
  process.exitCode = code;
}
