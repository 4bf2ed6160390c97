// Minimal SGR colouring; every renderer asks colorEnabled() once so NO_COLOR and pipes are honoured alike.

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type Env = Record<string, string | undefined>;

export type ColorName = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'bold' | 'dim';

const SGR: Record<ColorName, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/** Colour only on a terminal (or under `--ansi always`), and never when NO_COLOR is set (no-color.org). */
export function colorEnabled(stream: OutStream, env: Env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['CMP_ANSI'] === 'always') return true;
  return stream.isTTY === true;
}

export function paint(text: string, color: ColorName, enabled: boolean): string {
  if (!enabled) return text;
  const [on, off] = SGR[color];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** SGR code for an arbitrary foreground colour number (used by the per-service log palette). */
export function paintCode(text: string, code: number, enabled: boolean): string {
  return enabled ? `\u001b[${code}m${text}\u001b[39m` : text;
}
