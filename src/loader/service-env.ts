// Last phase, environment: each enabled service's `env_file` entries are read in order (later wins)
// and `environment` is laid over them; a variable named without a value takes the loader's
// environment value when it has one and stays null (passed through at run time) otherwise.
import { existsSync, readFileSync } from 'node:fs';
import type { Project } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { parseEnvFile } from './dotenv.js';
import { locate } from './positions.js';
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

export function resolveServiceEnvironments(p: Project, tree: Mapping, lookup: Lookup): void {
  for (const [name, svc] of Object.entries(p.services)) {
    const fromFiles: Record<string, string | null> = {};
    const files = refs(svc.env_file);
    files.forEach((ref, i) => {
      if (!existsSync(ref.path)) {
        if (!ref.required) return;
        const where = locate(tree, [
          'services',
          name,
          'env_file',
          ...(Array.isArray(svc.env_file) ? [i] : []),
        ]);
        throw new LoadError(`env file ${ref.path} not found`, {
          location: where,
          hint: 'mark it `required: false` to make it optional',
        });
      }
      let text: string;
      try {
        text = readFileSync(ref.path, 'utf8');
      } catch (e) {
        throw new LoadError(`cannot read env file ${ref.path}: ${(e as Error).message}`, {
          location: locate(tree, ['services', name, 'env_file']),
        });
      }
      for (const { key, value } of parseEnvFile(text, ref.path, lookup, ref.raw)) {
        if (value !== undefined) fromFiles[key] = value;
        else {
          const v = lookup(key);
          if (v !== undefined) fromFiles[key] = v;
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
