// `cmp image load|ls|rm`: the embedded runtime's image store from the command line.
import type { GlobalOptions } from '../globals.js';
import { UsageError, isCmpError } from '../../util/errors.js';
import type { ImageInfo } from '../../runtime/types.js';

type Opts = Record<string, unknown>;

/** `image <action> [args...]`: dispatches to load, ls or rm. */
export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'load':
      return load(g, opts, rest);
    case 'ls':
    case 'list':
      return ls(g, opts, rest);
    case 'rm':
    case 'remove':
      return rm(g, opts, rest);
    default:
      throw new UsageError(action ? `unknown image command "${action}"` : 'missing image command', {
        hint: 'use one of: load, ls, rm',
        exitCode: 2,
      });
  }
}

async function openStore(): Promise<import('../../runtime/embedded/images/store.js').ImageStore> {
  const { ImageStore } = await import('../../runtime/embedded/images/store.js');
  return new ImageStore();
}

export async function load(_g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const file = (opts.input as string | undefined) ?? args[0];
  if (!file) throw new UsageError('image load needs a file', { hint: 'cmp image load FILE', exitCode: 2 });
  const store = await openStore();
  const { familiarName } = await import('../../runtime/embedded/images/reference.js');
  const loaded = await store.load(file);
  for (const img of loaded) {
    if (opts.quiet) continue;
    process.stdout.write(
      img.ref ? `Loaded image: ${familiarName(img.ref)}\n` : `Loaded image ID: ${img.id}\n`,
    );
  }
  return 0;
}

export async function ls(_g: GlobalOptions, opts: Opts, _args: string[]): Promise<number> {
  const store = await openStore();
  const { familiarName, parseReference } = await import('../../runtime/embedded/images/reference.js');
  const images = await store.list();
  if (opts.quiet) {
    const seen = new Set<string>();
    for (const img of images) {
      const id = shortId(img.id);
      if (!seen.has(id)) process.stdout.write(`${id}\n`);
      seen.add(id);
    }
    return 0;
  }
  const rows = images.map((img) => {
    const { repository, tag } = splitRef(img, familiarName, parseReference);
    return {
      Repository: repository,
      Tag: tag,
      ID: shortId(img.id),
      Digest: img.digest ?? '<none>',
      Size: humanSize(img.size ?? 0),
      img,
    };
  });
  if (opts.format === 'json') {
    for (const r of rows) {
      const { img, ...fields } = r;
      process.stdout.write(`${JSON.stringify({ ...fields, FullID: img.id, Bytes: img.size ?? 0 })}\n`);
    }
    return 0;
  }
  const table = [
    ['REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
    ...rows.map((r) => [r.Repository, r.Tag, r.ID, r.Size]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of table) {
    process.stdout.write(
      `${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('')}\n`,
    );
  }
  return 0;
}

export async function rm(_g: GlobalOptions, _opts: Opts, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('image rm needs at least one image', { hint: 'cmp image rm REF...', exitCode: 2 });
  const store = await openStore();
  let code = 0;
  for (const ref of args) {
    try {
      const found = await store.inspect(ref);
      await store.remove(ref);
      process.stdout.write(`${found?.ref ? `Untagged: ${found.ref}` : `Deleted: ${found?.id ?? ref}`}\n`);
    } catch (e) {
      if (!isCmpError(e)) throw e;
      process.stderr.write(`${e.format()}\n`);
      code = 1;
    }
  }
  return code;
}

function splitRef(
  img: ImageInfo,
  familiarName: (s: string) => string,
  parseReference: (s: string) => { tag?: string; digest?: string },
): { repository: string; tag: string } {
  if (!img.ref) return { repository: '<none>', tag: '<none>' };
  const parsed = parseReference(img.ref);
  const name = familiarName(img.ref);
  const cut = parsed.digest ? name.lastIndexOf('@') : parsed.tag ? name.lastIndexOf(':') : -1;
  return { repository: cut > 0 ? name.slice(0, cut) : name, tag: parsed.tag ?? '<none>' };
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Sizes as docker prints them: decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : Number(v.toPrecision(3))}${units[i]}`;
}
