// Service `configs:` and `secrets:` on the embedded runtime, done as docker compose does them on a single
// host (no swarm): a `file:` source is bind-mounted read-only as it is; a `content:` or `environment:`
// source is written to a file in the container's state dir, owned and moded as the reference says, and
// bind-mounted read-only. The file lives as long as the container, and survives a reboot with it.
import { chmod, chown, lstat, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Env } from '../../../loader/environment.js';
import type {
  ConfigOrSecret,
  Project,
  Service,
  ServiceFileRef,
  SourceLocation,
} from '../../../model/types.js';
import { locateIn } from '../../../model/source-locator.js';
import { RuntimeError } from '../../../util/errors.js';
import type { OciMount } from './oci-types.js';
import { containerDir } from './paths.js';

type Kind = 'configs' | 'secrets';

export interface FileRefContext {
  project: Project;
  serviceName: string;
  service: Service;
  containerId: string;
  /** The process environment; `.env` files of the project are read under it, as the loader does. */
  env?: NodeJS.ProcessEnv;
}

export interface FileRefMounts {
  mounts: OciMount[];
  /** Said once per reference, e.g. `uid`/`gid`/`mode` ignored on a bound host file (compose warns too). */
  warnings: string[];
}

/** Where content-sourced files of a container are written. */
export const fileRefsDir = (id: string): string => join(containerDir(id), 'files');

/** The loader's env-file reader, loaded only for a service with configs or secrets. */
interface LoaderParts {
  readEnvFileInto: typeof import('../../../loader/environment.js').readEnvFileInto;
}

async function loaderParts(): Promise<LoaderParts> {
  const environment = await import('../../../loader/environment.js');
  return { readEnvFileInto: environment.readEnvFileInto };
}

/** Compose's default targets: `/<name>` for a config, `/run/secrets/<name>` for a secret. */
export function fileRefTarget(kind: Kind, ref: ServiceFileRef): string {
  const name = ref.target ?? ref.source;
  const base = kind === 'secrets' ? '/run/secrets' : '/';
  return posix.normalize(name.startsWith('/') ? name : posix.join(base, name));
}

/**
 * The environment an `environment:` source reads: the env files of the included projects that defined it
 * (if any, nearest first: an includer's values, read later, win), then the project's own, the process over all.
 */
function sourceEnv(
  project: Project,
  included: readonly string[],
  processEnv: NodeJS.ProcessEnv,
  { readEnvFileInto }: LoaderParts,
): Env {
  const proc: Env = {};
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) proc[k] = v;
  const fromFiles: Env = {};
  for (const f of included) readEnvFileInto(f, fromFiles, (n) => proc[n]);
  for (const f of project.env_files) readEnvFileInto(f, fromFiles, (n) => proc[n]);
  return { ...fromFiles, ...proc };
}

function numericId(
  value: string | undefined,
  refError: (attr: string, msg: string) => RuntimeError,
  attr: 'uid' | 'gid',
): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) throw refError(attr, `${attr} must be a number, not "${value}"`);
  return Number(value);
}

export async function fileRefMounts(ctx: FileRefContext): Promise<FileRefMounts> {
  const mounts: OciMount[] = [];
  const warnings: string[] = [];
  if ((ctx.service.configs ?? []).length === 0 && (ctx.service.secrets ?? []).length === 0)
    return { mounts, warnings };
  const parts = await loaderParts();
  const where = (path: (string | number)[]): SourceLocation | undefined => locateIn(ctx.project, path);
  let env: Env | undefined;
  let index = 0;
  for (const kind of ['configs', 'secrets'] as const) {
    const one = kind === 'configs' ? 'config' : 'secret';
    const refs = ctx.service[kind] ?? [];
    for (const [i, ref] of refs.entries()) {
      const what = `service "${ctx.serviceName}": ${one} "${ref.source}"`;
      const refPath = ['services', ctx.serviceName, kind, i];
      const refError = (attr: string, msg: string, hint?: string): RuntimeError => {
        const location = where([...refPath, attr]);
        return new RuntimeError(`${what}: ${msg}`, {
          ...(location ? { location } : {}),
          ...(hint ? { hint } : {}),
        });
      };
      const def: ConfigOrSecret | undefined = ctx.project[kind][ref.source];
      const defError = (attr: string | undefined, msg: string, hint: string): RuntimeError => {
        const location = where(attr ? [kind, ref.source, attr] : [kind, ref.source]);
        return new RuntimeError(`${what}: ${msg}`, { ...(location ? { location } : {}), hint });
      };
      if (!def)
        throw refError('source', 'is not defined in the project', `declare it under top-level ${kind}:`);
      if (def.external) {
        throw defError(
          'external',
          `external ${kind} need Docker Swarm; there is none on the embedded runtime`,
          'give it a file:, environment: or content: source',
        );
      }
      const target = fileRefTarget(kind, ref);
      // As Docker binds them: read-only, nothing else (a config may well be a script to run).
      const options = ['rbind', 'ro', 'rprivate'];

      if (def.file !== undefined) {
        if (!(await stat(def.file).catch(() => undefined))) {
          throw defError('file', `file does not exist: ${def.file}`, 'create it, or fix the path');
        }
        if (ref.uid !== undefined || ref.gid !== undefined || ref.mode !== undefined) {
          // What docker compose does too: a bound host file keeps its own owner and mode.
          warnings.push(`${what}: uid, gid and mode are not supported for a file source, they are ignored`);
        }
        mounts.push({ destination: target, type: 'bind', source: def.file, options });
        continue;
      }

      let content: string;
      if (def.content !== undefined) content = def.content;
      else if (def.environment !== undefined) {
        const included = ctx.project.included_env_files?.[kind][ref.source] ?? [];
        const value = (
          included.length > 0
            ? sourceEnv(ctx.project, included, ctx.env ?? process.env, parts)
            : (env ??= sourceEnv(ctx.project, [], ctx.env ?? process.env, parts))
        )[def.environment];
        if (value === undefined) {
          throw defError(
            'environment',
            `environment variable ${def.environment} is not set`,
            'set it in the environment or in .env',
          );
        }
        content = value;
      } else {
        throw defError(undefined, 'has no source', 'give it a file:, environment: or content: source');
      }
      const uid = numericId(ref.uid, refError, 'uid');
      const gid = numericId(ref.gid, refError, 'gid');
      const mode = ref.mode ?? 0o444;
      if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777)
        throw refError('mode', `mode ${mode} is not a file mode`);
      // A numbered name: the same source may be mounted twice, at two targets with two modes.
      const file = join(fileRefsDir(ctx.containerId), `${index++}-${kind}-${ref.source}`);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, content, { mode: 0o600 });
      // Bound by itself, the file shows its own owner and mode in the container; the umask must not touch them.
      await chown(file, uid, gid);
      await chmod(file, mode);
      mounts.push({ destination: target, type: 'bind', source: file, options });
    }
  }
  return { mounts, warnings };
}

/** Where the mount points a host-rootfs container needs inside the host's read-only dirs are made. */
export const mountpointsDir = (id: string): string => join(containerDir(id), 'mountpoints');

/**
 * Host-rootfs mode binds the host's /etc, /usr, ... read-only, so runc cannot make a mount point under one
 * of them for a target the host lacks (`/etc/app.conf`), and must not: it would be the host's own /etc.
 * Such a dir is mounted instead as a read-only overlay of the host dir under a small dir that holds only
 * the missing mount points. The overlay lives in the container's mount namespace only (nothing to undo on
 * the host), and the small dir in the container's state dir, so it is there again after a reboot.
 */
export async function withHostMountpoints(
  id: string,
  mounts: OciMount[],
  hostBinds: readonly string[],
): Promise<OciMount[]> {
  const needed = new Set<string>();
  for (const m of mounts) {
    const under = hostBinds.find((d) => m.destination.startsWith(`${d}/`));
    if (!under || (await lstat(m.destination).catch(() => undefined))) continue;
    const point = join(mountpointsDir(id), m.destination);
    const source = m.type === 'bind' && m.source ? await stat(m.source).catch(() => undefined) : undefined;
    if (source && !source.isDirectory()) {
      await mkdir(dirname(point), { recursive: true });
      await writeFile(point, '', { flag: 'a' });
    } else await mkdir(point, { recursive: true });
    needed.add(under);
  }
  if (needed.size === 0) return mounts;
  return mounts.map((m) => {
    if (m.type !== 'bind' || m.source !== m.destination || !needed.has(m.destination)) return m;
    const upper = join(mountpointsDir(id), m.destination);
    // overlay's option syntax has no room for these in a lower dir's path
    if (/[:,]/.test(upper)) {
      throw new RuntimeError(`container state path ${upper} contains ":" or ","; overlay cannot use it`);
    }
    return {
      destination: m.destination,
      type: 'overlay',
      source: 'overlay',
      options: ['ro', 'nosuid', 'nodev', `lowerdir=${upper}:${m.destination}`],
    };
  });
}
