// `cmp builder prune [-a] [-f]`: the embedded runtime's build cache only (docker's `builder prune`).
import type { GlobalOptions } from '../globals.js';
import { buildCacheReport, embeddedOnly, humanSize } from './image.js';
import { dispatch } from './subcommands.js';

type Opts = Record<string, unknown>;

export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action] = args;
  await embeddedOnly(g, 'builder');
  return dispatch('builder', action, { prune: () => prune(Boolean(opts.all)) });
}

async function prune(all: boolean): Promise<number> {
  const [{ ImageStore }, { pruneBuildCache }] = await Promise.all([
    import('../../runtime/embedded/images/store.js'),
    import('../../runtime/embedded/build-cache.js'),
  ]);
  const res = await pruneBuildCache(new ImageStore(), all);
  process.stdout.write(buildCacheReport(res));
  process.stdout.write(`Total reclaimed space: ${humanSize(res.reclaimed)}\n`);
  return 0;
}
