// `cmp image ls|inspect|rm|prune|load|save|tag|push|pull`: the embedded runtime's image store from the
// command line, with docker's names, flags and output shapes.
import type { BuildCachePruneResult } from '../../runtime/embedded/build-cache.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm as rmFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { GlobalOptions } from '../globals.js';
import { RuntimeError, UsageError, isCmpError } from '../../util/errors.js';
import type { ImageInfo } from '../../runtime/types.js';
import type { ImageStore } from '../../runtime/embedded/images/store.js';
import { danglingFilter, labelsMatch, parseFilters } from '../format/resources.js';
import { imageInspect } from '../format/image-inspect.js';
import { dispatch } from './subcommands.js';

type Opts = Record<string, unknown>;

/** These commands drive the embedded runtime's own parts; the docker runtime has its own CLI for this. */
export async function embeddedOnly(g: GlobalOptions, group: string): Promise<void> {
  const { runtimeKindFor } = await import('../context.js');
  if (runtimeKindFor(g) === 'docker') {
    throw new RuntimeError(
      `cmp ${group} manages the embedded runtime only; with the docker runtime use the docker CLI: docker ${group} ...`,
    );
  }
}

/** `image <action> [args...]`. */
export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  await embeddedOnly(g, 'image');
  return dispatch('image', action, {
    ls: () => ls(g, opts, rest),
    inspect: () => inspect(g, opts, rest),
    rm: () => rm(g, opts, rest),
    prune: () => prune(g, opts, rest),
    load: () => load(g, opts, rest),
    save: () => save(g, opts, rest),
    tag: () => tag(g, opts, rest),
    push: () => push(g, opts, rest),
    pull: () => pull(opts, rest),
  });
}

async function openStore(): Promise<ImageStore> {
  const { ImageStore } = await import('../../runtime/embedded/images/store.js');
  return new ImageStore();
}

export async function load(_g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const file = (opts.input as string | undefined) ?? args[0];
  const store = await openStore();
  const { familiarName } = await import('../../runtime/image-reference.js');
  const loaded = file && file !== '-' ? await store.load(file) : await loadStdin(store);
  for (const img of loaded) {
    if (opts.quiet) continue;
    process.stdout.write(
      img.ref ? `Loaded image: ${familiarName(img.ref)}\n` : `Loaded image ID: ${img.id}\n`,
    );
  }
  return 0;
}

/** `docker save img | cmp image load`: the archive on stdin, kept in a file while tar reads it. */
async function loadStdin(store: ImageStore): Promise<ImageInfo[]> {
  if (process.stdin.isTTY) {
    throw new UsageError('requested load from stdin, but stdin is a terminal', {
      hint: 'pipe an archive in (docker save IMAGE | cmp image load) or use -i FILE',
      exitCode: 1,
    });
  }
  const tmp = join(tmpdir(), `cmp-load-${process.pid}.tar`);
  try {
    await pipeline(process.stdin, createWriteStream(tmp));
    if ((await stat(tmp)).size === 0)
      throw new UsageError('requested load from stdin, but stdin is empty', {
        hint: 'pipe an archive in (docker save IMAGE | cmp image load) or use -i FILE',
        exitCode: 1,
      });
    return await store.load(tmp);
  } finally {
    await rmFile(tmp, { force: true });
  }
}

export async function ls(_g: GlobalOptions, opts: Opts, _args: string[]): Promise<number> {
  const store = await openStore();
  const { familiarName, parseReference } = await import('../../runtime/image-reference.js');
  const filters = parseFilters(opts.filter, ['dangling', 'label', 'reference'], 'image ls');
  const dangling = danglingFilter(filters);
  const wantRefs = filters.get('reference');
  let images = await store.list();
  images = images.filter((img) => {
    if (dangling !== undefined && dangling !== !parseTagged(img, parseReference)) return false;
    if (!labelsMatch(img.config.labels ?? {}, filters.get('label'))) return false;
    if (wantRefs && !wantRefs.some((w) => img.ref !== '' && refMatches(familiarName(img.ref), w)))
      return false;
    return true;
  });
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
  const digests = Boolean(opts.digests);
  const table = [
    ['REPOSITORY', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'SIZE'],
    ...rows.map((r) => [r.Repository, r.Tag, ...(digests ? [r.Digest] : []), r.ID, r.Size]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of table) {
    process.stdout.write(
      `${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('')}\n`,
    );
  }
  return 0;
}

async function inspect(_g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('image inspect needs at least one image', {
      hint: 'cmp image inspect REF...',
      exitCode: 2,
    });
  const store = await openStore();
  const { StoreLayout } = await import('../../runtime/embedded/images/layout.js');
  const layout = new StoreLayout(store.root);
  const out: unknown[] = [];
  let code = 0;
  for (const ref of args) {
    const found = await store.details(ref);
    if (!found) {
      process.stderr.write(`Error: No such image: ${ref}\n`);
      code = 1;
      continue;
    }
    const raw = await readFile(layout.blobPath(found.record.id), 'utf8').catch(() => undefined);
    out.push(imageInspect(found.record, found.refs, raw));
  }
  if (opts.format === 'json') for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
  return code;
}

export async function rm(_g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('image rm needs at least one image', { hint: 'cmp image rm REF...', exitCode: 2 });
  const store = await openStore();
  const { listMeta } = await import('../../runtime/embedded/containers/meta.js');
  const { removeStoredImage } = await import('../../runtime/embedded/images/removal.js');
  const containers = await listMeta();
  let code = 0;
  for (const ref of args) {
    try {
      const shown = await store.inspect(ref);
      if (!(await removeStoredImage(store, ref, containers, opts.force === true)))
        throw new RuntimeError(`no such image: ${ref}`);
      process.stdout.write(`${shown?.ref ? `Untagged: ${shown.ref}` : `Deleted: ${shown?.id ?? ref}`}\n`);
    } catch (e) {
      if (!isCmpError(e)) throw e;
      process.stderr.write(`${e.format()}\n`);
      code = 1;
    }
  }
  return code;
}

async function prune(_g: GlobalOptions, opts: Opts, _args: string[]): Promise<number> {
  const store = await openStore();
  const { listMeta } = await import('../../runtime/embedded/containers/meta.js');
  const { familiarName } = await import('../../runtime/image-reference.js');
  const containers = await listMeta();
  const res = await store.prune({
    all: Boolean(opts.all),
    usedImageIds: new Set(containers.map((c) => c.imageId).filter(Boolean)),
    usedLayerDirs: new Set(containers.flatMap((c) => c.layers)),
  });
  if (res.deleted.length > 0) {
    process.stdout.write('Deleted Images:\n');
    for (const d of res.deleted) {
      for (const r of d.refs) process.stdout.write(`untagged: ${familiarName(r)}\n`);
      process.stdout.write(`deleted: ${d.id}\n`);
    }
    process.stdout.write('\n');
  }
  // The build cache goes with the images: what built an image that is gone (docs/build.md).
  const { pruneBuildCache } = await import('../../runtime/embedded/build-cache.js');
  const cache = await pruneBuildCache(store, false);
  process.stdout.write(buildCacheReport(cache));
  process.stdout.write(`Total reclaimed space: ${humanSize(res.reclaimed + cache.reclaimed)}\n`);
  return 0;
}

async function save(_g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('image save needs at least one image', {
      hint: 'cmp image save -o FILE REF...',
      exitCode: 2,
    });
  const output = opts.output as string | undefined;
  if (!output && process.stdout.isTTY) {
    throw new UsageError('refusing to write an image archive to a terminal', {
      hint: 'use -o FILE or redirect the output',
      exitCode: 1,
    });
  }
  const store = await openStore();
  if (output) {
    await store.save(args, output);
    return 0;
  }
  const tmp = join(tmpdir(), `cmp-save-${process.pid}.tar`);
  try {
    await store.save(args, tmp);
    await pipeline(createReadStream(tmp), process.stdout, { end: false });
  } finally {
    await rmFile(tmp, { force: true });
  }
  return 0;
}

async function tag(_g: GlobalOptions, _opts: Opts, args: string[]): Promise<number> {
  const [source, target] = args;
  if (!source || !target || args.length > 2)
    throw new UsageError('image tag needs a source and a target', {
      hint: 'cmp image tag SOURCE TARGET',
      exitCode: 2,
    });
  const store = await openStore();
  await store.tag(source, target);
  return 0;
}

async function push(_g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [ref] = args;
  if (!ref || args.length > 1)
    throw new UsageError('image push needs one image', { hint: 'cmp image push NAME[:TAG]', exitCode: 2 });
  const store = await openStore();
  const { parseReference } = await import('../../runtime/image-reference.js');
  const parsed = parseReference(ref);
  const quiet = Boolean(opts.quiet);
  if (!quiet)
    process.stdout.write(`The push refers to repository [${parsed.registry}/${parsed.repository}]\n`);
  const res = await store.push(ref, quiet ? undefined : (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(
    quiet
      ? `${parsed.registry}/${parsed.repository}:${res.tag}\n`
      : `${res.tag}: digest: ${res.digest} size: ${res.size}\n`,
  );
  return 0;
}

/** `image pull NAME[:TAG]`: always asks the registry, as `docker pull` does; the last line is the reference. */
async function pull(opts: Opts, args: string[]): Promise<number> {
  const [ref] = args;
  if (!ref || args.length > 1)
    throw new UsageError('image pull needs one image', { hint: 'cmp image pull NAME[:TAG]', exitCode: 2 });
  const store = await openStore();
  const { parseReference } = await import('../../runtime/image-reference.js');
  const parsed = parseReference(ref);
  const full = `${parsed.registry}/${parsed.repository}${parsed.digest ? `@${parsed.digest}` : `:${parsed.tag ?? 'latest'}`}`;
  const img = await store.ensure(ref, 'always');
  if (!opts.quiet)
    process.stdout.write(`Digest: ${img.digest ?? img.id}
`);
  process.stdout.write(`${full}
`);
  return 0;
}

function parseTagged(img: ImageInfo, parseReference: (s: string) => { tag?: string }): boolean {
  return img.ref !== '' && parseReference(img.ref).tag !== undefined;
}

/** docker's `reference=` filter: a glob over the familiar name, with or without the tag. */
function refMatches(name: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  const noTag = name.replace(/:[^:/@]+$/, '');
  return re.test(name) || re.test(noTag);
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

/** docker's list of what went, empty when nothing did. */
export function buildCacheReport(res: BuildCachePruneResult): string {
  if (res.deleted.length === 0) return '';
  return `Deleted build cache objects:\n${res.deleted.map((id) => `${id}\n`).join('')}\n`;
}
