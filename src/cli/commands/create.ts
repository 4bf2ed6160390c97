// `cmp create`: compose's create is `up --no-start` with up's creation flags, so it runs the same path.
import type { GlobalOptions } from '../globals.js';
import { run as runUp } from './up.js';

export function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  return runUp(g, { ...o, start: false }, args);
}
