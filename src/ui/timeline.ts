// `cmp up --timeline`: when each service was created, started, became healthy or finished, relative
// to the first event, and which dependency each one waited for and how long.
import type { EngineEvent } from '../engine/events.js';
import { lineState } from './resource-lines.js';
import { seconds } from './format.js';

export interface TimelineOptions {
  /** Columns of the bar. */
  width?: number;
}

interface ServiceTimes {
  name: string;
  created?: number;
  started?: number;
  healthy?: number;
  ended?: number;
  endLabel?: string;
}

interface Wait {
  service: string;
  dependency: string;
  condition?: string;
  from: number;
}

const LEGEND = '= created, waiting to start   S started   - running   H healthy   X exited/completed';

export function renderTimeline(events: readonly EngineEvent[], opts: TimelineOptions = {}): string {
  const width = Math.max(10, opts.width ?? 40);
  if (events.length === 0) return 'Timeline: no events\n';
  const t0 = Math.min(...events.map((e) => e.time));
  const services = collectTimes(events);
  const waits = collectWaits(events);
  const rows = [...services.values()].sort(
    (a, b) =>
      (a.created ?? a.started ?? Infinity) - (b.created ?? b.started ?? Infinity) ||
      a.name.localeCompare(b.name),
  );
  const marks = rows.flatMap((r) => [r.created, r.started, r.healthy, r.ended]).filter(isNumber);
  const span = Math.max(1, Math.max(t0, ...marks) - t0);
  const col = (t: number): number => Math.round(((t - t0) / span) * (width - 1));
  const nameWidth = Math.max(7, ...rows.map((r) => r.name.length), ...waits.map((w) => w.service.length));

  const out: string[] = [
    `Timeline: ${rows.length} service${rows.length === 1 ? '' : 's'} in ${seconds(span)}`,
  ];
  const total = seconds(span);
  out.push(`${'service'.padEnd(nameWidth)}   ${'0s'.padEnd(width - total.length)}${total}`);
  for (const r of rows) {
    const cells = Array<string>(width).fill(' ');
    const fill = (from: number, to: number, ch: string): void => {
      for (let i = col(from); i < col(to); i++) cells[i] = ch;
    };
    if (r.created !== undefined && r.started !== undefined) fill(r.created, r.started, '=');
    if (r.started !== undefined) {
      const until = r.ended ?? r.healthy;
      if (until !== undefined) fill(r.started, until, '-');
      cells[col(r.started)] = 'S';
    } else if (r.created !== undefined) {
      cells[col(r.created)] = '=';
    }
    if (r.healthy !== undefined) cells[col(r.healthy)] = 'H';
    if (r.ended !== undefined) cells[col(r.ended)] = 'X';
    const times = [
      r.created !== undefined ? `created ${seconds(r.created - t0)}` : '',
      r.started !== undefined ? `started ${seconds(r.started - t0)}` : '',
      r.healthy !== undefined ? `healthy ${seconds(r.healthy - t0)}` : '',
      r.ended !== undefined ? `${r.endLabel ?? 'exited'} ${seconds(r.ended - t0)}` : '',
    ].filter((s) => s !== '');
    out.push(`${r.name.padEnd(nameWidth)}  |${cells.join('')}|  ${times.join('  ')}`.trimEnd());
  }
  const waitLines = waits.map((w) => {
    const end = waitEnd(w, services);
    const cond = w.condition ? ` (${w.condition})` : '';
    return `${w.service.padEnd(nameWidth)}  waited ${seconds(end - w.from)} for ${w.dependency}${cond}`;
  });
  if (waitLines.length > 0) out.push('', ...waitLines);
  out.push('', LEGEND);
  return `${out.join('\n')}\n`;
}

function serviceOf(e: EngineEvent): string | undefined {
  if (e.service) return e.service;
  return e.kind === 'service' ? e.name : undefined;
}

// With replicas, a service counts as created at its first container and started/healthy/finished at its last.
function collectTimes(events: readonly EngineEvent[]): Map<string, ServiceTimes> {
  const map = new Map<string, ServiceTimes>();
  for (const e of events) {
    if (e.kind !== 'container' && e.kind !== 'service') continue;
    const name = serviceOf(e);
    if (!name) continue;
    const t = map.get(name) ?? { name };
    map.set(name, t);
    switch (e.action) {
      case 'create':
      case 'recreate':
        t.created = Math.min(t.created ?? Infinity, e.time);
        break;
      case 'start':
      case 'started':
        if (e.action === 'started' || lineState(e) === 'done')
          t.started = Math.max(t.started ?? -Infinity, e.time);
        break;
      case 'healthy':
        t.healthy = Math.max(t.healthy ?? -Infinity, e.time);
        break;
      case 'completed':
      case 'exited':
        t.ended = Math.max(t.ended ?? -Infinity, e.time);
        t.endLabel = e.action;
        break;
      default:
        break;
    }
  }
  return map;
}

const WAIT_ON = /([\w.-]+)\s*\((service_\w+)\)/g;

// The engine words waits as "Waiting for db (service_healthy)"; a structured field would be better
// but the status text is what every event already carries.
function collectWaits(events: readonly EngineEvent[]): Wait[] {
  const seen = new Set<string>();
  const waits: Wait[] = [];
  for (const e of events) {
    if (e.action !== 'waiting') continue;
    const service = serviceOf(e);
    if (!service) continue;
    const text = `${e.status} ${e.detail ?? ''}`;
    const after = /\bfor\s+(.*)$/i.exec(text)?.[1] ?? '';
    const found = [...after.matchAll(WAIT_ON)].map((m) => ({ dependency: m[1] ?? '', condition: m[2] }));
    if (found.length === 0) {
      const bare = /^([\w.-]+)/.exec(after.trim())?.[1];
      if (bare) found.push({ dependency: bare, condition: undefined });
    }
    for (const f of found) {
      const key = `${service}\0${f.dependency}\0${f.condition ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      waits.push({
        service,
        dependency: f.dependency,
        from: e.time,
        ...(f.condition ? { condition: f.condition } : {}),
      });
    }
  }
  return waits;
}

// A wait ends when the dependency met its condition; failing that, when the waiting service started.
function waitEnd(w: Wait, services: Map<string, ServiceTimes>): number {
  const dep = services.get(w.dependency);
  const met =
    w.condition === 'service_healthy'
      ? dep?.healthy
      : w.condition === 'service_completed_successfully'
        ? dep?.ended
        : dep?.started;
  if (met !== undefined && met >= w.from) return met;
  const own = services.get(w.service)?.started;
  return own !== undefined && own >= w.from ? own : w.from;
}

function isNumber(n: number | undefined): n is number {
  return n !== undefined;
}
