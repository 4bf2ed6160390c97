// Phase 4, interpolate: substitute variables in every string value of one file (keys are left
// alone), before merging and before validation, then turn interpolated strings back into the
// numbers and booleans the spec expects at known paths, as compose-go does.
import { LoadError } from '../util/errors.js';
import { keyLoc } from './positions.js';
import { substitute, TemplateError, TooLongError, type Lookup } from './template.js';
import { Tagged, isMapping, type Mapping } from './tree.js';

export interface InterpolationContext {
  lookup: Lookup;
  /** Names already warned about, shared by all files of one load. */
  warned: Set<string>;
  warn: (message: string) => void;
  /** Characters interpolation may still add, shared by all files of one load. */
  budget: InterpolationBudget;
}

/**
 * `${A}` repeated over a file multiplies the size of A's value: one value may grow to 1 Mi characters
 * and a whole load by 32 Mi, far beyond any real project, so a small file cannot expand into gigabytes.
 */
export const MAX_INTERPOLATED_VALUE = 1024 * 1024;
export const MAX_INTERPOLATION_GROWTH = 32 * 1024 * 1024;

export interface InterpolationBudget {
  left: number;
}

export function interpolationBudget(): InterpolationBudget {
  return { left: MAX_INTERPOLATION_GROWTH };
}

type Cast = 'int' | 'bool' | 'float';

const CASTS: [string[], Cast][] = [
  [['services', '*', 'scale'], 'int'],
  [['services', '*', 'deploy', 'replicas'], 'int'],
  [['services', '*', 'healthcheck', 'retries'], 'int'],
  [['services', '*', 'healthcheck', 'disable'], 'bool'],
  [['services', '*', 'depends_on', '*', 'required'], 'bool'],
  [['services', '*', 'depends_on', '*', 'restart'], 'bool'],
  [['services', '*', 'ports', '*', 'target'], 'int'],
  [['services', '*', 'ulimits', '*'], 'int'],
  [['services', '*', 'ulimits', '*', 'soft'], 'int'],
  [['services', '*', 'ulimits', '*', 'hard'], 'int'],
  [['services', '*', 'pids_limit'], 'int'],
  [['services', '*', 'cpus'], 'float'],
  [['services', '*', 'cpu_shares'], 'int'],
  [['services', '*', 'mem_swappiness'], 'int'],
  [['services', '*', 'oom_score_adj'], 'int'],
  [['services', '*', 'privileged'], 'bool'],
  [['services', '*', 'read_only'], 'bool'],
  [['services', '*', 'init'], 'bool'],
  [['services', '*', 'tty'], 'bool'],
  [['services', '*', 'stdin_open'], 'bool'],
  [['services', '*', 'oom_kill_disable'], 'bool'],
  [['services', '*', 'volumes', '*', 'read_only'], 'bool'],
  [['services', '*', 'volumes', '*', 'volume', 'nocopy'], 'bool'],
  [['services', '*', 'volumes', '*', 'bind', 'create_host_path'], 'bool'],
  [['services', '*', 'deploy', 'resources', 'limits', 'pids'], 'int'],
  [['services', '*', 'deploy', 'restart_policy', 'max_attempts'], 'int'],
  [['services', '*', 'secrets', '*', 'mode'], 'int'],
  [['services', '*', 'configs', '*', 'mode'], 'int'],
  [['networks', '*', 'external'], 'bool'],
  [['networks', '*', 'internal'], 'bool'],
  [['networks', '*', 'attachable'], 'bool'],
  [['networks', '*', 'enable_ipv6'], 'bool'],
  [['volumes', '*', 'external'], 'bool'],
  [['configs', '*', 'external'], 'bool'],
  [['secrets', '*', 'external'], 'bool'],
];

function castFor(path: readonly (string | number)[]): Cast | undefined {
  outer: for (const [pattern, cast] of CASTS) {
    if (pattern.length !== path.length) continue;
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] !== '*' && pattern[i] !== path[i]) continue outer;
    }
    return cast;
  }
  return undefined;
}

function applyCast(v: string, cast: Cast): unknown {
  const t = v.trim();
  if (cast === 'int' && /^[-+]?\d+$/.test(t)) return Number(t);
  if (cast === 'float' && t !== '' && Number.isFinite(Number(t))) return Number(t);
  if (cast === 'bool') {
    const l = t.toLowerCase();
    if (['true', 'yes', 'y', 'on', '1'].includes(l)) return true;
    if (['false', 'no', 'n', 'off', '0'].includes(l)) return false;
  }
  return v;
}

export function interpolateTree(tree: Mapping, ctx: InterpolationContext): void {
  const hooks = {
    onUnset: (name: string) => {
      if (ctx.warned.has(name)) return;
      ctx.warned.add(name);
      ctx.warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
    },
  };
  const visit = (container: Mapping | unknown[], key: string | number, path: (string | number)[]): void => {
    const holder = container as Record<string | number, unknown>;
    const value = holder[key];
    if (typeof value === 'string') {
      if (!value.includes('$')) return;
      let out: string;
      const room = value.length + ctx.budget.left;
      try {
        out = substitute(value, ctx.lookup, { ...hooks, maxLength: Math.min(MAX_INTERPOLATED_VALUE, room) });
      } catch (e) {
        const location = keyLoc(container, key);
        if (e instanceof TooLongError && e.max < MAX_INTERPOLATED_VALUE) {
          throw new LoadError(
            `variables make the compose files more than ${MAX_INTERPOLATION_GROWTH} characters longer`,
            {
              location,
            },
          );
        }
        if (e instanceof TemplateError) throw new LoadError(e.message, { location });
        throw e;
      }
      ctx.budget.left -= Math.max(0, out.length - value.length);
      const cast = castFor(path);
      holder[key] = cast ? applyCast(out, cast) : out;
    } else if (value instanceof Tagged) {
      const box = [value.value];
      visit(box, 0, path);
      holder[key] = new Tagged(value.tag, box[0]);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value, i, [...path, i]);
    } else if (isMapping(value)) {
      for (const k of Object.keys(value)) visit(value, k, [...path, k]);
    }
  };
  for (const k of Object.keys(tree)) visit(tree, k, [k]);
}
