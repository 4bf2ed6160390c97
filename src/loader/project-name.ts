// Phase 4a, project name: -p, then COMPOSE_PROJECT_NAME (shell or .env), then the last top-level
// `name:` (interpolated on its own, before the rest, so the name is available as a variable), then
// the project folder's name. The first two must already be valid; the others are normalised.
import { basename } from 'node:path';
import { LoadError, UsageError } from '../util/errors.js';
import { keyLoc } from './positions.js';
import { MAX_INTERPOLATED_VALUE } from './interpolate.js';
import { substitute, TemplateError, type Lookup } from './template.js';
import type { Mapping } from './tree.js';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function normalizeProjectName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** A name given as is (-p, COMPOSE_PROJECT_NAME) must already be valid: it is never normalised. */
export function checkExplicit(name: string, source: string): string {
  if (!VALID.test(name)) {
    throw new UsageError(
      `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
      { hint: `from ${source}` },
    );
  }
  return name;
}

export function resolveProjectName(
  flag: string | undefined,
  envName: string | undefined,
  trees: Mapping[],
  projectDir: string,
  lookup: Lookup,
  interpolate: boolean,
): string {
  if (flag !== undefined && flag !== '') return checkExplicit(flag, '-p');
  if (envName !== undefined && envName !== '') return checkExplicit(envName, 'COMPOSE_PROJECT_NAME');
  let fromFile: string | undefined;
  for (const t of trees) {
    const v = t.name;
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new LoadError('name must be a string', { location: keyLoc(t, 'name') });
    try {
      fromFile = interpolate ? substitute(v, lookup, { maxLength: MAX_INTERPOLATED_VALUE }) : v;
    } catch (e) {
      if (e instanceof TemplateError) throw new LoadError(e.message, { location: keyLoc(t, 'name') });
      throw e;
    }
  }
  const raw = fromFile ?? basename(projectDir);
  const name = normalizeProjectName(raw);
  if (name === '') {
    throw new LoadError('project name must not be empty', {
      hint: fromFile !== undefined ? `"${raw}" has no usable characters` : 'use -p or a top-level name:',
    });
  }
  return name;
}
