// Turns ajv's error list into the one failure a person should fix first, in plain words.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { JsonSchemaNode } from './compile.js';
import { closest } from './suggest.js';
import { formatTreePath, pointerToTreePath, type TreePath } from './tree-path.js';

export interface SchemaFailure {
  /** Tree path of the node to point at (for an unknown key, the key itself). */
  path: TreePath;
  message: string;
  hint?: string;
}

interface Candidate {
  error: ErrorObject;
  /** The node the message talks about. */
  subject: TreePath;
  /** Where to point the user. */
  at: TreePath;
  depth: number;
  rank: number;
}

// A branch that failed on a value of the right type got further than one that failed on the type;
// wrapper keywords only say "no branch matched" and carry nothing a user can act on.
const RANK_SPECIFIC = 2;
const RANK_TYPE = 1;
const RANK_WRAPPER = 0;
const WRAPPERS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', 'not', 'propertyNames', '$ref']);

const TYPE_ORDER = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

function param(error: ErrorObject, name: string): unknown {
  return (error.params as Record<string, unknown>)[name];
}

function toCandidate(error: ErrorObject, tree: unknown): Candidate {
  const base = pointerToTreePath(error.instancePath, tree);
  const key =
    error.keyword === 'additionalProperties'
      ? param(error, 'additionalProperty')
      : error.keyword !== 'propertyNames'
        ? error.propertyName
        : undefined;
  if (typeof key === 'string') {
    return { error, subject: base, at: [...base, key], depth: base.length + 1, rank: RANK_SPECIFIC };
  }
  if (error.keyword === 'uniqueItems') {
    const later = Math.max(Number(param(error, 'i')), Number(param(error, 'j')));
    return { error, subject: base, at: [...base, later], depth: base.length, rank: RANK_SPECIFIC };
  }
  const multiMatch = error.keyword === 'oneOf' && Array.isArray(param(error, 'passingSchemas'));
  const rank =
    error.keyword === 'type'
      ? RANK_TYPE
      : WRAPPERS.has(error.keyword) && !multiMatch
        ? RANK_WRAPPER
        : RANK_SPECIFIC;
  return { error, subject: base, at: base, depth: base.length, rank };
}

/** The schema object that holds the failing keyword (ajv's verbose mode attaches it). */
function owningSchema(error: ErrorObject): JsonSchemaNode | undefined {
  const node: unknown = error.parentSchema;
  return node !== null && typeof node === 'object' ? (node as JsonSchemaNode) : undefined;
}

function typeWords(types: Iterable<string>): string {
  const sorted = [...new Set(types)].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
  const words = sorted.map((t) => TYPE_WORDS[t] ?? t);
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function typesOf(error: ErrorObject): string[] {
  const t = param(error, 'type');
  return typeof t === 'string' ? t.split(',') : Array.isArray(t) ? t.map(String) : [];
}

function sameTree(a: TreePath, b: TreePath): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i]);
}

function unknownKey(c: Candidate): SchemaFailure {
  const key = String(c.at[c.at.length - 1]);
  const owner = owningSchema(c.error);
  const allowed = Object.keys((owner?.properties as JsonSchemaNode | undefined) ?? {});
  const suggestion = closest(key, allowed);
  const takesExtensions = Object.prototype.hasOwnProperty.call(owner?.patternProperties ?? {}, '^x-');
  const hint = suggestion
    ? `did you mean '${suggestion}'?`
    : takesExtensions
      ? "custom keys must start with 'x-'"
      : undefined;
  return {
    path: c.at,
    message: `${formatTreePath(c.subject)} has an unknown key '${key}'`,
    ...(hint ? { hint } : {}),
  };
}

function expectation(c: Candidate): string | undefined {
  const said = owningSchema(c.error)?.['x-expect'];
  return typeof said === 'string' ? said : undefined;
}

function describe(c: Candidate, all: readonly Candidate[]): SchemaFailure {
  const e = c.error;
  const subject = formatTreePath(c.subject);
  if (e.keyword === 'additionalProperties') return unknownKey(c);
  if (e.propertyName !== undefined) {
    const expect = expectation(c);
    return {
      path: c.at,
      message: `${subject} has an invalid name '${e.propertyName}'`,
      ...(expect ? { hint: `use ${expect}` } : {}),
    };
  }
  switch (e.keyword) {
    case 'type': {
      const types = all
        .filter((o) => o.rank === RANK_TYPE && sameTree(o.subject, c.subject))
        .flatMap((o) => typesOf(o.error));
      return { path: c.at, message: `${subject} must be ${typeWords(types)}` };
    }
    case 'required':
      return {
        path: c.at,
        message: `${subject} is missing the required key '${String(param(e, 'missingProperty'))}'`,
      };
    case 'enum': {
      const values = param(e, 'allowedValues');
      const list = Array.isArray(values) ? values.map(String).join(', ') : '';
      return { path: c.at, message: `${subject} must be one of: ${list}` };
    }
    case 'pattern': {
      const expect = expectation(c);
      return {
        path: c.at,
        message: expect
          ? `${subject} must be ${expect}`
          : `${subject} must match the pattern ${String(param(e, 'pattern'))}`,
      };
    }
    case 'minimum':
      return { path: c.at, message: `${subject} must be at least ${String(param(e, 'limit'))}` };
    case 'maximum':
      return { path: c.at, message: `${subject} must be at most ${String(param(e, 'limit'))}` };
    case 'uniqueItems': {
      const [a, b] = [Number(param(e, 'j')), Number(param(e, 'i'))].sort((x, y) => x - y);
      return { path: c.at, message: `${subject} has the same entry twice (items ${a} and ${b})` };
    }
    case 'oneOf':
      return { path: c.at, message: `${subject} matches more than one of its allowed forms` };
    default:
      return { path: c.at, message: `${subject} ${e.message ?? 'is not valid'}` };
  }
}

/**
 * The most specific failure: the deepest node any branch reached; at equal depth a failure on a value of
 * the right type beats a type mismatch, and type mismatches of all branches at that node are merged.
 */
export function explainSchemaErrors(errors: readonly ErrorObject[], tree: unknown): SchemaFailure {
  const candidates = errors.map((e) => toCandidate(e, tree));
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!best || c.depth > best.depth || (c.depth === best.depth && c.rank > best.rank)) best = c;
  }
  if (!best) return { path: [], message: 'the file does not match the Compose Specification' };
  return describe(best, candidates);
}
