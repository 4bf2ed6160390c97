// A service's `build:` section as one checked request: every key cmp can honour is turned into what the
// executor takes, and every key it cannot is a located error (compose file:line), never a silent skip.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Project, Service } from '../model/types.js';
import { BuildError } from './errors.js';
import { locateBuildKey } from './locate.js';

export interface BuildFlags {
  noCache?: boolean;
  pull?: boolean;
  /** `--build-arg`: over the compose file's args. */
  buildArgs?: Record<string, string>;
}

export interface BuildRequest {
  service: string;
  context: string;
  /** Where the Dockerfile is (for errors); for dockerfile_inline, a name inside the context. */
  dockerfilePath: string;
  dockerfileText: string;
  target?: string;
  args: Record<string, string>;
  labels: Record<string, string>;
  /** Local folders by name. */
  contexts: Record<string, string>;
  /** Names that stand for an image (`docker-image://ref`). */
  imageAliases: Record<string, string>;
  network: 'host' | 'none';
  extraHosts: string[];
  shmSize?: string;
  noCache: boolean;
  pull: boolean;
  extraTags: string[];
  secrets: { id: string; file?: string; value?: string }[];
  ignoreFile?: string;
}

const SUPPORTED = new Set([
  'context',
  'dockerfile',
  'dockerfile_inline',
  'target',
  'args',
  'labels',
  'network',
  'extra_hosts',
  'shm_size',
  'no_cache',
  'pull',
  'tags',
  'secrets',
  'additional_contexts',
  'platforms',
]);

/** The build's Dockerfile (inline or a file, relative to the context) and the path errors name. */
export async function readDockerfile(
  b: { context: string; dockerfile?: string; dockerfile_inline?: unknown },
  unreadable: (path: string) => never,
): Promise<{ path: string; text: string }> {
  if (typeof b.dockerfile_inline === 'string') {
    return { path: join(b.context, 'Dockerfile (inline)'), text: b.dockerfile_inline };
  }
  const df = b.dockerfile ?? 'Dockerfile';
  const path = isAbsolute(df) ? df : join(b.context, df);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch {
    return unreadable(path);
  }
}

export function isRemoteContext(context: string): boolean {
  return /^(https?|git|ssh):\/\//.test(context) || context.startsWith('git@');
}

export async function buildRequest(
  project: Project,
  name: string,
  service: Service,
  flags: BuildFlags,
  env: NodeJS.ProcessEnv,
  hostPlatform: string,
): Promise<BuildRequest> {
  const b = service.build;
  const fail = (key: string | undefined, message: string, hint?: string): never => {
    const location = locateBuildKey(project, name, key);
    throw new BuildError(message, { ...(location ? { location } : {}), ...(hint ? { hint } : {}) });
  };
  if (!b) return fail(undefined, `service "${name}" has no build section`);
  for (const key of Object.keys(b)) {
    if (!SUPPORTED.has(key) && !key.startsWith('x-')) {
      fail(key, `build.${key} is not supported by cmp's builder`, 'see docs/build.md');
    }
  }
  if (isRemoteContext(b.context)) {
    fail('context', `build.context ${b.context}: only a local folder can be a build context`);
  }
  if (!existsSync(b.context) || !statSync(b.context).isDirectory()) {
    fail('context', `build.context ${b.context} is not a folder`);
  }
  const { path: dockerfilePath, text: dockerfileText } = await readDockerfile(b, (path) =>
    fail('dockerfile', `cannot read the Dockerfile ${path}`),
  );

  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args ?? {})) {
    // An argument without a value takes cmp's environment, or is left to the Dockerfile's default.
    const value = v ?? env[k];
    if (value !== undefined) args[k] = value;
  }
  Object.assign(args, flags.buildArgs ?? {});

  let network: 'host' | 'none' = 'host';
  if (b.network === 'none') network = 'none';
  else if (b.network !== undefined && b.network !== 'host' && b.network !== 'default') {
    fail('network', `build.network ${String(b.network)}: a build can use the host's network or none`);
  }

  const extraHosts: string[] = [];
  const eh = b.extra_hosts;
  if (Array.isArray(eh)) {
    for (const h of eh) extraHosts.push(String(h).replace('=', ':'));
  } else if (eh && typeof eh === 'object') {
    for (const [h, ip] of Object.entries(eh as Record<string, unknown>)) {
      for (const one of Array.isArray(ip) ? ip : [ip]) extraHosts.push(`${h}:${String(one)}`);
    }
  }

  let shmSize: string | undefined;
  if (typeof b.shm_size === 'number') shmSize = `${b.shm_size}b`;
  else if (typeof b.shm_size === 'string') shmSize = b.shm_size;

  const platforms = b.platforms;
  if (Array.isArray(platforms) && platforms.some((p) => p !== hostPlatform)) {
    fail('platforms', `build.platforms: cmp builds for this host only (${hostPlatform})`);
  }

  const contexts: Record<string, string> = {};
  const imageAliases: Record<string, string> = {};
  for (const [k, v] of entries(b.additional_contexts)) {
    if (v.startsWith('docker-image://')) imageAliases[k] = v.slice('docker-image://'.length);
    else if (/^[a-z][a-z0-9+.-]*:\/\//.test(v) || v.startsWith('service:') || v.startsWith('target:')) {
      fail(
        'additional_contexts',
        `build.additional_contexts.${k}: only folders and docker-image:// are supported`,
      );
    } else {
      const dir = resolve(project.working_dir, v);
      if (!existsSync(dir))
        fail('additional_contexts', `build.additional_contexts.${k}: ${dir} does not exist`);
      contexts[k] = dir;
    }
  }

  const secrets: BuildRequest['secrets'] = [];
  const secretList = Array.isArray(b.secrets) ? (b.secrets as unknown[]) : [];
  for (const s of secretList) {
    const source = typeof s === 'string' ? s : String((s as { source?: unknown }).source ?? '');
    const target = typeof s === 'object' && s ? (s as { target?: unknown }).target : undefined;
    const def = project.secrets[source];
    if (!def) fail('secrets', `build.secrets: secret "${source}" is not defined at the top level`);
    const id = typeof target === 'string' && target !== '' ? target : source;
    if (def?.file) secrets.push({ id, file: def.file });
    else if (def?.environment) {
      const value = env[def.environment];
      if (value === undefined) {
        fail('secrets', `build.secrets: secret "${source}" reads $${def.environment}, which is not set`);
      }
      secrets.push({ id, value: value as string });
    } else fail('secrets', `build.secrets: secret "${source}" must come from a file or the environment`);
  }

  const tags = Array.isArray(b.tags) ? b.tags.map(String) : [];
  const dockerfileIgnore = `${dockerfilePath}.dockerignore`;
  return {
    service: name,
    context: b.context,
    dockerfilePath,
    dockerfileText,
    ...(b.target ? { target: b.target } : {}),
    args,
    labels: b.labels ?? {},
    contexts,
    imageAliases,
    network,
    extraHosts,
    ...(shmSize ? { shmSize } : {}),
    noCache: flags.noCache === true || b.no_cache === true,
    pull: flags.pull === true || b.pull === true,
    extraTags: tags,
    secrets,
    ...(existsSync(dockerfileIgnore) ? { ignoreFile: dockerfileIgnore } : {}),
  };
}

function entries(v: unknown): [string, string][] {
  if (Array.isArray(v)) {
    return v.map((x) => {
      const s = String(x);
      const eq = s.indexOf('=');
      return [s.slice(0, eq < 0 ? s.length : eq), eq < 0 ? '' : s.slice(eq + 1)];
    });
  }
  if (v && typeof v === 'object')
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]);
  return [];
}

/** Where a target's error points: the compose file's `target:` line. */
export function targetLocation(project: Project, service: string): ReturnType<typeof locateBuildKey> {
  return locateBuildKey(project, service, 'target');
}
