// `cmp scale SERVICE=N...`: compose's scale is `up -d --scale` of the named services, so it runs that path.
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { scaleFlag } from './flags/values.js';
import { run as runUp } from './up.js';

export function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('scale needs at least one SERVICE=NUM', { hint: 'cmp scale web=3' });
  const scale = scaleFlag(args);
  return runUp(g, { detach: true, deps: o.deps, scale: args }, Object.keys(scale));
}
