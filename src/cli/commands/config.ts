import type { GlobalOptions } from '../globals.js';
import { UsageError } from '../../util/errors.js';

// Placeholder until the loader lands; replaced by the loader work.
export async function run(_g: GlobalOptions): Promise<number> {
  throw new UsageError('config: the loader is not built yet');
}
