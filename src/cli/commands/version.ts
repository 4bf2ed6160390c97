import type { GlobalOptions } from '../globals.js';
import { VERSION } from '../../version.js';

export async function run(_g: GlobalOptions, opts: Record<string, unknown>): Promise<number> {
  if (opts.short) process.stdout.write(`${VERSION}\n`);
  else if (opts.format === 'json') process.stdout.write(`${JSON.stringify({ version: VERSION })}\n`);
  else
    process.stdout.write(
      `cmp version ${VERSION} (Node ${process.version}, ${process.platform}/${process.arch})\n`,
    );
  return 0;
}
