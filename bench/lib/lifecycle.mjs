// Timing of `up -d` / `down` for one tool, with cmp's phases read from its JSON progress events.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CMP_ENV, cmp, fmtMs, median, rssKb, run, waitIdle } from './common.mjs';

/** Splits a cmp run into: process start to first event, first to last event (the engine), last event to exit. */
function phases(startedAt, result) {
  const times = [];
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line);
      if (typeof e.time === 'number') times.push(e.time);
    } catch {
      // not an event line
    }
  }
  if (times.length === 0) return undefined;
  const first = Math.min(...times);
  const last = Math.max(...times);
  return { before: first - startedAt, engine: last - first, after: startedAt + result.ms - last };
}

function timed(fn) {
  waitIdle();
  const startedAt = Date.now();
  const r = fn();
  if (r.error) throw new Error(r.error);
  return { ms: r.ms, phases: phases(startedAt, r) };
}

export function cmpTool(global = []) {
  return {
    up: (dir, project) =>
      timed(() => cmp([...global, '--progress', 'json', '-p', project, 'up', '-d'], { cwd: dir })),
    down: (dir, project) =>
      timed(() => cmp([...global, '--progress', 'json', '-p', project, 'down', '-v'], { cwd: dir })),
  };
}

export const composeTool = {
  up: (dir, project) => timed(() => run('docker-compose', ['-p', project, 'up', '-d'], { cwd: dir })),
  // dockerd 20.10 sometimes refuses to remove a network whose containers it has just removed ("has active
  // endpoints"), now and then twice in a row; the run then counts from the first attempt to the end of the
  // one that removes it (up to three more, half a second apart).
  down: (dir, project) =>
    timed(() => {
      let total = 0;
      for (let attempt = 0; ; attempt++) {
        const r = run('docker-compose', ['-p', project, 'down', '-v'], { cwd: dir });
        total += r.ms;
        if (!r.error || !/active endpoints/.test(r.error) || attempt === 3) return { ...r, ms: total };
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
        total += 500;
      }
    }),
};

/** The embedded supervisor's RSS in kB, or undefined when the project has none (the docker runtime). */
export function supervisorRss(project) {
  const file = join(CMP_ENV.CMP_RUN_ROOT, project, 'supervisor.pid');
  if (!existsSync(file)) return undefined;
  return rssKb(Number(readFileSync(file, 'utf8').trim()));
}

/** Medians over the runs of one tool: up, down, and the phases of up and down when known. */
export function summarise(samples) {
  const pick = (k) => median(samples.map((s) => s[k].ms));
  const phase = (k, p) => {
    const xs = samples.map((s) => s[k].phases?.[p]).filter((x) => x !== undefined);
    return xs.length === 0 ? undefined : median(xs);
  };
  return {
    up: pick('up'),
    down: pick('down'),
    upPhases:
      phase('up', 'before') === undefined
        ? undefined
        : ['before', 'engine', 'after'].map((p) => phase('up', p)),
    downPhases:
      phase('down', 'before') === undefined
        ? undefined
        : ['before', 'engine', 'after'].map((p) => phase('down', p)),
  };
}

export function fmtPhases(p) {
  return p === undefined ? 'n/a' : p.map(fmtMs).join(' / ');
}
