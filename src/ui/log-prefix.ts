// Attached-mode and `logs` line prefixes, compose-style: `web-1  | message`, one stable colour per service.
import { paintCode } from './ansi.js';

export interface LogLineOptions {
  color: boolean;
  /** Prefix each line with its time (RFC 3339, nanosecond field as docker prints it). */
  timestamps?: boolean;
  /** Line time in ms since the epoch; required for timestamps to show. */
  time?: number;
  /** Print the line without the `name |` prefix. */
  noPrefix?: boolean;
  /** Pad names to this width so the bars line up across services. */
  width?: number;
}

// Bright and normal foregrounds without red, which reads as an error.
const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** Same service, same colour, in every run and every command. */
export function serviceColor(service: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    h ^= service.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return PALETTE[h % PALETTE.length] ?? 36;
}

/** `myproj-web-1` shows as `web-1`; a custom container_name is shown as is. */
export function logName(service: string, containerName: string): string {
  const m = new RegExp(`[-_]${escapeRegExp(service)}[-_](\\d+)$`).exec(containerName);
  return m ? `${service}-${m[1]}` : containerName;
}

export function formatLogLine(
  service: string,
  containerName: string,
  line: string,
  opts: LogLineOptions,
): string {
  const stamp = opts.timestamps && opts.time !== undefined ? `${rfc3339Nano(opts.time)} ` : '';
  if (opts.noPrefix) return `${stamp}${line}`;
  const name = logName(service, containerName).padEnd(opts.width ?? 0);
  return `${paintCode(`${name} |`, serviceColor(service), opts.color)} ${stamp}${line}`;
}

function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
