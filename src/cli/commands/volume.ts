// `cmp volume ls|inspect|create|rm|prune`: the embedded runtime's named volumes (directories under the
// state root), with docker's names, flags and output shapes.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { GlobalOptions } from '../globals.js';
import { RuntimeError, UsageError, isCmpError } from '../../util/errors.js';
import { stateRoot } from '../../util/paths.js';
import type { VolumeState } from '../../runtime/types.js';
import type { ContainerMeta } from '../../runtime/embedded/containers/meta.js';
import { danglingFilter, labelString, labelsMatch, parseFilters } from '../format/resources.js';
import { renderTable } from '../format/table.js';
import { embeddedOnly, humanSize } from './image.js';
import { dispatch } from './subcommands.js';

type Opts = Record<string, unknown>;

export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  await embeddedOnly(g, 'volume');
  return dispatch('volume', action, {
    ls: () => ls(opts),
    inspect: () => inspect(opts, rest),
    create: () => create(opts, rest),
    rm: () => rm(rest),
    prune: () => prune(opts),
  });
}

const volumes = () => import('../../runtime/embedded/volumes.js');

async function allVolumes(): Promise<VolumeState[]> {
  const { inspectVolume } = await volumes();
  const names = await readdir(join(stateRoot(), 'volumes')).catch(() => [] as string[]);
  const out: VolumeState[] = [];
  for (const n of names.sort()) {
    const v = await inspectVolume(n);
    if (v) out.push(v);
  }
  return out;
}

/** Container records whose mounts use the volume (running or not: docker counts both). */
async function usersOf(v: VolumeState): Promise<ContainerMeta[]> {
  const { listMeta } = await import('../../runtime/embedded/containers/meta.js');
  return (await listMeta()).filter(
    (c) =>
      c.anonymousVolumes.includes(v.name) ||
      [...(c.spec.mounts ?? []), ...c.volumeMounts].some(
        (m) =>
          !!v.mountpoint && (m.source === v.mountpoint || (m.source ?? '').startsWith(`${v.mountpoint}/`)),
      ),
  );
}

async function ls(opts: Opts): Promise<number> {
  const filters = parseFilters(opts.filter, ['dangling', 'driver', 'label', 'name'], 'volume ls');
  const dangling = danglingFilter(filters);
  const list: VolumeState[] = [];
  for (const v of await allVolumes()) {
    if (!labelsMatch(v.labels, filters.get('label'))) continue;
    const names = filters.get('name');
    if (names && !names.some((n) => v.name.includes(n))) continue;
    const drivers = filters.get('driver');
    if (drivers && !drivers.includes(v.driver)) continue;
    if (dangling !== undefined && dangling !== ((await usersOf(v)).length === 0)) continue;
    list.push(v);
  }
  if (opts.quiet) {
    process.stdout.write(list.map((v) => `${v.name}\n`).join(''));
    return 0;
  }
  if (opts.format === 'json') {
    for (const v of list) {
      process.stdout.write(
        `${JSON.stringify({
          Availability: 'N/A',
          Driver: v.driver,
          Group: 'N/A',
          Labels: labelString(v.labels),
          Links: 'N/A',
          Mountpoint: v.mountpoint,
          Name: v.name,
          Scope: 'local',
          Size: 'N/A',
          Status: 'N/A',
        })}\n`,
      );
    }
    return 0;
  }
  process.stdout.write(
    renderTable(
      ['DRIVER', 'VOLUME NAME'],
      list.map((v) => [v.driver, v.name]),
    ),
  );
  return 0;
}

function inspectObject(v: VolumeState): Record<string, unknown> {
  return {
    CreatedAt: new Date(v.createdAt ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Driver: v.driver,
    Labels: v.labels,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: {},
    Scope: 'local',
  };
}

async function inspect(opts: Opts, args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('volume inspect needs at least one volume', {
      hint: 'cmp volume inspect NAME...',
      exitCode: 2,
    });
  const { inspectVolume } = await volumes();
  const out: unknown[] = [];
  let code = 0;
  for (const name of args) {
    const v = await inspectVolume(name);
    if (!v) {
      process.stderr.write(`Error: No such volume: ${name}\n`);
      code = 1;
      continue;
    }
    out.push(inspectObject(v));
  }
  if (opts.format === 'json') for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
  return code;
}

async function create(opts: Opts, args: string[]): Promise<number> {
  if (args.length > 1)
    throw new UsageError('volume create takes at most one name', {
      hint: 'cmp volume create [NAME]',
      exitCode: 2,
    });
  const driver = (opts.driver as string | undefined) ?? 'local';
  if (driver !== 'local') {
    throw new RuntimeError(`volume driver "${driver}" is not supported by the embedded runtime`, {
      hint: 'only the local driver is',
    });
  }
  const { ensureVolume } = await volumes();
  const name = args[0] ?? randomBytes(32).toString('hex');
  const v = await ensureVolume(name, labelsOf(opts.label));
  process.stdout.write(`${v.name}\n`);
  return 0;
}

async function rm(args: string[]): Promise<number> {
  if (args.length === 0)
    throw new UsageError('volume rm needs at least one volume', {
      hint: 'cmp volume rm NAME...',
      exitCode: 2,
    });
  const { inspectVolume, removeVolume } = await volumes();
  let code = 0;
  for (const name of args) {
    try {
      const v = await inspectVolume(name);
      if (!v) throw new RuntimeError(`no such volume: ${name}`);
      const users = await usersOf(v);
      if (users.length > 0) {
        throw new RuntimeError(
          `volume ${name} is in use by container ${users.map((c) => c.name).join(', ')}`,
          { hint: 'remove the container first (cmp down / cmp rm)' },
        );
      }
      await removeVolume(name);
      process.stdout.write(`${name}\n`);
    } catch (e) {
      if (!isCmpError(e)) throw e;
      process.stderr.write(`${e.format()}\n`);
      code = 1;
    }
  }
  return code;
}

async function prune(opts: Opts): Promise<number> {
  const { removeVolume, ANONYMOUS_LABEL } = await volumes();
  const { diskUsage } = await import('../../runtime/embedded/images/usage.js');
  const filters = parseFilters(opts.filter, ['label'], 'volume prune');
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const v of await allVolumes()) {
    // Like docker since 23: named volumes only go with --all.
    if (!opts.all && !(ANONYMOUS_LABEL in v.labels)) continue;
    if (!labelsMatch(v.labels, filters.get('label'))) continue;
    if ((await usersOf(v)).length > 0) continue;
    reclaimed += await diskUsage(join(v.mountpoint ?? '', '..'));
    await removeVolume(v.name);
    deleted.push(v.name);
  }
  if (deleted.length > 0)
    process.stdout.write(`Deleted Volumes:\n${deleted.map((d) => `${d}\n`).join('')}\n`);
  process.stdout.write(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

export function labelsOf(raw: unknown): Record<string, string> {
  const list = Array.isArray(raw) ? (raw as unknown[]).map(String) : [];
  const out: Record<string, string> = {};
  for (const l of list) {
    const eq = l.indexOf('=');
    if (eq < 0) out[l] = '';
    else out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}
