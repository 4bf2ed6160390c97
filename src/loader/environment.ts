// Phase 2, environment: the variables interpolation sees. Env files are read in order (later wins);
// the process environment wins over all of them, as in compose-go.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SourceLocation } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { parseEnvFile } from './dotenv.js';
import { readBounded } from './read-file.js';

export type Env = Record<string, string>;

export interface EnvResult {
  env: Env;
  /** Absolute paths actually read. */
  files: string[];
}

export function readEnvFileInto(
  path: string,
  into: Env,
  lookup: (n: string) => string | undefined,
  from?: SourceLocation,
): void {
  const text = readBounded(path, 'env file', from);
  for (const { key, value } of parseEnvFile(text, path, (n) => lookup(n) ?? into[n])) {
    if (value !== undefined) into[key] = value;
    else {
      const v = lookup(key);
      if (v !== undefined) into[key] = v;
    }
  }
}

/**
 * `explicit` are --env-file values (relative to cwd; missing ones are errors); without them,
 * COMPOSE_ENV_FILES, then `<dir>/.env` if it exists.
 */
export function buildEnvironment(
  processEnv: Record<string, string | undefined>,
  explicit: string[],
  cwd: string,
  dir: string,
): EnvResult {
  const proc: Env = {};
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) proc[k] = v;
  let paths: string[];
  if (explicit.length > 0) paths = explicit.map((p) => (isAbsolute(p) ? p : resolve(cwd, p)));
  else if (proc.COMPOSE_ENV_FILES)
    paths = proc.COMPOSE_ENV_FILES.split(',').map((p) => resolve(dir, p.trim()));
  else if (proc.COMPOSE_DISABLE_ENV_FILE === 'true' || proc.COMPOSE_DISABLE_ENV_FILE === '1') paths = [];
  else paths = existsSync(join(dir, '.env')) ? [join(dir, '.env')] : [];
  const fromFiles: Env = {};
  for (const p of paths) {
    if (!existsSync(p)) throw new LoadError(`couldn't find env file: ${p}`);
    readEnvFileInto(p, fromFiles, (n) => proc[n]);
  }
  return { env: { ...fromFiles, ...proc }, files: paths };
}

/**
 * `over`'s file values laid over `under`'s, the process environment still over both; the files listed
 * so that a later one wins, as `composeSetting` reads them.
 */
export function overlayEnvironment(under: EnvResult, over: EnvResult): EnvResult {
  return { env: { ...under.env, ...over.env }, files: [...under.files, ...over.files] };
}

/**
 * A variable compose itself reads (COMPOSE_REMOVE_ORPHANS and the like), as it reads it: from the shell,
 * else from the env files the project was loaded with (a project rebuilt from labels names them too).
 */
export function composeSetting(
  name: string,
  envFiles: readonly string[],
  processEnv: Record<string, string | undefined>,
): string | undefined {
  if (processEnv[name] !== undefined) return processEnv[name];
  const fromFiles: Env = {};
  for (const p of envFiles) if (existsSync(p)) readEnvFileInto(p, fromFiles, (n) => processEnv[n]);
  return fromFiles[name];
}
