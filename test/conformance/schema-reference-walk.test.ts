// cmp accepts every file the reference schemas accept: the Compose Specification's published schema and
// compose-go's (what Docker Compose v5 validates with, newer: `pre_start`, `build.no_cache_filter`, ...).
// Both are walked: every key they know must be a key of cmp's schema at the same place, and a value of
// every form each key takes there (each oneOf branch, each type) that the reference accepts, cmp must
// accept too (the values are ones that mean something where they are used: where cmp checks more than
// the references, schema-agreement.test.ts lists it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileComposeSchema, loadComposeSchema } from '../../src/schema/compile.js';
import { explainSchemaErrors } from '../../src/schema/messages.js';
import { formatTreePath } from '../../src/schema/tree-path.js';

type Node = { [key: string]: unknown };

const REFERENCES = {
  'compose-spec': join(import.meta.dirname, '../fixtures/reference/compose-spec.schema.json'),
  'compose-go': join(import.meta.dirname, '../fixtures/reference/compose-go.schema.json'),
};

function load(file: string): Node {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Node;
  // Their $schema URLs are not ones ajv registers under that spelling; the draft is chosen below.
  delete schema.$schema;
  return schema;
}

function resolver(root: Node): (n: unknown) => Node {
  return (n) => {
    let node = (n ?? {}) as Node;
    for (let i = 0; i < 20 && typeof node.$ref === 'string'; i++) {
      const parts = node.$ref.replace(/^#\//, '').split('/');
      let cur: unknown = root;
      for (const p of parts) cur = (cur as Node)[p];
      node = { ...(cur as Node), ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) };
    }
    return node;
  };
}

function branches(node: Node): Node[] {
  return [
    ...((node.oneOf ?? []) as Node[]),
    ...((node.anyOf ?? []) as Node[]),
    ...((node.allOf ?? []) as Node[]),
  ];
}

/** Every key path the schema knows: `services.*.build.no_cache_filter`, `networks.*.ipam.config[].subnet`. */
function keyPaths(root: Node): Set<string> {
  const deref = resolver(root);
  const out = new Set<string>();
  const walk = (n: unknown, path: string, depth: number): void => {
    if (depth > 14) return;
    const node = deref(n);
    for (const b of branches(node)) walk(b, path, depth + 1);
    for (const [k, v] of Object.entries((node.properties ?? {}) as Node)) {
      const p = path ? `${path}.${k}` : k;
      out.add(p);
      walk(v, p, depth + 1);
    }
    for (const [pattern, v] of Object.entries((node.patternProperties ?? {}) as Node)) {
      if (pattern !== '^x-' && pattern !== '^x-.*$') walk(v, `${path}.*`, depth + 1);
    }
    if (typeof node.additionalProperties === 'object')
      walk(node.additionalProperties, `${path}.*`, depth + 1);
    if (typeof node.items === 'object') walk(node.items, `${path}[]`, depth + 1);
  };
  walk(root, '', 0);
  return out;
}

// Strings that mean something where they are used; anything else gets 'x'.
const STRINGS: Record<string, string> = {
  restart: 'always',
  condition: 'on-failure',
  interval: '10s',
  timeout: '5s',
  start_period: '1s',
  start_interval: '1s',
  stop_grace_period: '10s',
  delay: '1s',
  monitor: '1s',
  window: '1s',
  container_name: 'web-1',
  pull_policy: 'always',
  mem_limit: '64m',
  memswap_limit: '64m',
  mem_reservation: '64m',
  shm_size: '64m',
  memory: '64m',
  size: '64m',
  rate: '1mb',
  cpus: '0.5',
  published: '8080',
  target: '/t',
};

const NAME = 'web';

/** Valid-looking values of every form the node takes, at most `cap` of them. */
function samples(root: Node, n: unknown, key: string, depth = 0, cap = 24): unknown[] {
  const deref = resolver(root);
  const node = deref(n);
  if (depth > 10) return [];
  const out: unknown[] = [];
  const add = (v: unknown[]): void => {
    for (const x of v) if (out.length < cap) out.push(x);
  };
  for (const b of branches(node)) add(samples(root, b, key, depth + 1, cap));
  if (Array.isArray(node.enum)) add(node.enum as unknown[]);
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  for (const t of types) {
    if (t === 'string') add([STRINGS[key] ?? 'x']);
    else if (t === 'number' || t === 'integer') add([typeof node.minimum === 'number' ? node.minimum : 1]);
    else if (t === 'boolean') add([true]);
    else if (t === 'null') add([null]);
    else if (t === 'array') {
      const items = samples(root, node.items, key, depth + 1, 6);
      add(items.length ? items.map((i) => [i]) : [[]]);
    } else if (t === 'object') add(objects(root, node, depth));
  }
  return out;
}

/** An object per property and form: the required keys, plus that one property. */
function objects(root: Node, node: Node, depth: number): unknown[] {
  const props = (node.properties ?? {}) as Node;
  const required = (node.required ?? []) as string[];
  const base: Node = {};
  for (const r of required) base[r] = samples(root, props[r], r, depth + 1, 1)[0];
  const out: unknown[] = [base];
  for (const [k, v] of Object.entries(props)) {
    for (const s of samples(root, v, k, depth + 1, 6)) out.push({ ...base, [k]: s });
  }
  for (const [pattern, v] of Object.entries((node.patternProperties ?? {}) as Node)) {
    if (pattern.startsWith('^x-')) continue;
    for (const s of samples(root, v, 'item', depth + 1, 4)) out.push({ ...base, [NAME]: s });
  }
  if (typeof node.additionalProperties === 'object') {
    for (const s of samples(root, node.additionalProperties, 'item', depth + 1, 4))
      out.push({ ...base, [NAME]: s });
  }
  return out;
}

const ours = compileComposeSchema();
const ourPaths = keyPaths(loadComposeSchema());

describe.each(Object.entries(REFERENCES))('%s schema', (label, file) => {
  const schema = load(file);
  const reference =
    label === 'compose-go'
      ? new Ajv2020({ strict: false, allowUnionTypes: true }).compile(schema)
      : new Ajv({ strict: false, allowUnionTypes: true }).compile(schema);

  it('has no key that cmp lacks', () => {
    const missing = [...keyPaths(schema)].filter((p) => !ourPaths.has(p));
    expect(missing).toEqual([]);
  });

  it('every form of every service and top-level key it accepts, cmp accepts', () => {
    const deref = resolver(schema);
    const service = deref(
      (deref((schema.properties as Node).services).patternProperties as Node)?.[
        Object.keys((deref((schema.properties as Node).services).patternProperties ?? {}) as Node)[0] ?? ''
      ],
    );
    const docs: unknown[] = [];
    for (const [k, v] of Object.entries((service.properties ?? {}) as Node)) {
      for (const s of samples(schema, v, k)) docs.push({ services: { [NAME]: { image: 'nginx', [k]: s } } });
    }
    for (const [k, v] of Object.entries((schema.properties ?? {}) as Node)) {
      if (k === 'services') continue;
      for (const s of samples(schema, v, k)) docs.push({ services: { [NAME]: { image: 'nginx' } }, [k]: s });
    }
    let accepted = 0;
    const refused: string[] = [];
    for (const doc of docs) {
      if (!reference(doc)) continue;
      accepted++;
      if (ours(doc)) continue;
      const failure = explainSchemaErrors(ours.errors ?? [], doc);
      refused.push(`${formatTreePath(failure.path)}: ${failure.message}\n  ${JSON.stringify(doc)}`);
    }
    expect(refused).toEqual([]);
    if (process.env.CMP_SCHEMA_STATS) console.log(`${label}: ${docs.length} files, ${accepted} accepted`);
    expect(accepted).toBeGreaterThan(300);
  });
});

it('knows the keys compose-go added over the spec', () => {
  for (const p of [
    'services.*.pre_start',
    'services.*.pre_start[].per_replica',
    'services.*.pre_start[].image',
    'services.*.build.no_cache_filter',
  ]) {
    expect(ourPaths.has(p), p).toBe(true);
  }
});
