// Compose durations follow Go's time.ParseDuration ("1m30s", "500ms", "1h"); a bare number means seconds
// in some legacy fields, so callers decide whether to accept one.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/y;

/** Parses a duration to milliseconds; returns undefined when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? NaN);
    pos = PART.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}

/** Duration of a model field in ms, or the fallback when absent. */
export function durationMs(value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  return parseDurationMs(value) ?? fallbackMs;
}

/** Formats milliseconds the way Go prints a time.Duration ("1m30s", "500ms", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trimFloat(ms)}ms`;
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  let out = '';
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  out += `${trimFloat(rest)}s`;
  return out;
}

function trimFloat(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
