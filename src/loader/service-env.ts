// Last phase, environment: each enabled service's `env_file` entries are read in order (later wins)
// and `environment` is laid over them; a variable named without a value takes the loader's
// environment value when it has one and stays null (passed through at run time) otherwise.
import { existsSync } from 'node:fs';
import type { Project } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { parseEnvFile, type EnvEntry } from './dotenv.js';
import { locate } from './positions.js';
import { readBounded } from './read-file.js';
import type { Lookup } from './template.js';
import { isMapping, type Mapping } from './tree.js';

interface EnvFileRef {
  path: string;
  required: boolean;
  raw: boolean;
}

function refs(v: unknown): EnvFileRef[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: EnvFileRef[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push({ path: item, required: true, raw: false });
    else if (isMapping(item) && typeof item.path === 'string') {
      out.push({
        path: item.path,
        required: item.required !== false && item.required !== 'false',
        raw: item.format === 'raw',
      });
    }
  }
  return out;
}

/**
 * Variables from env files summed over every service. One file of 1 MiB named by a thousand services
 * would otherwise make a thousand copies of its tens of thousands of entries.
 */
export const MAX_ENV_FILE_ENTRIES = 200_000;

export function resolveServiceEnvironments(p: Project, tree: Mapping, lookup: Lookup): void {
  // A file named by many services is read and parsed once.
  const parsed = new Map<string, EnvEntry[]>();
  let total = 0;
  for (const [name, svc] of Object.entries(p.services)) {
    const fromFiles: Record<string, string | null> = {};
    const files = refs(svc.env_file);
    files.forEach((ref, i) => {
      const where = locate(tree, ['services', name, 'env_file', ...(Array.isArray(svc.env_file) ? [i] : [])]);
      if (!existsSync(ref.path)) {
        if (!ref.required) return;
        throw new LoadError(`env file ${ref.path} not found`, {
          location: where,
          hint: 'mark it `required: false` to make it optional',
        });
      }
      const key = `${ref.raw ? 'raw' : 'env'}:${ref.path}`;
      let entries = parsed.get(key);
      if (!entries) {
        entries = parseEnvFile(readBounded(ref.path, 'env file', where), ref.path, lookup, ref.raw);
        parsed.set(key, entries);
      }
      total += entries.length;
      if (total > MAX_ENV_FILE_ENTRIES) {
        throw new LoadError(`env files give more than ${MAX_ENV_FILE_ENTRIES} variables over all services`, {
          location: where,
        });
      }
      for (const { key: k, value } of entries) {
        if (value !== undefined) fromFiles[k] = value;
        else {
          const v = lookup(k);
          if (v !== undefined) fromFiles[k] = v;
        }
      }
    });
    const env: Record<string, string | null> = { ...fromFiles };
    for (const [k, v] of Object.entries(svc.environment)) {
      env[k] = v === null ? (lookup(k) ?? null) : v;
    }
    svc.environment = env;
    delete svc.env_file;
  }
}
