// Our schema (schemas/compose.schema.json) and the Compose Specification's own schema, used here only as an
// oracle, must give the same verdict on the corpus and on generated files; the few places where cmp is
// deliberately stricter are listed in DIFFERENCES (and in docs/schema.md).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileComposeSchema } from '../../src/schema/compile.js';
import { explainSchemaErrors, type SchemaFailure } from '../../src/schema/messages.js';
import { formatTreePath } from '../../src/schema/tree-path.js';

const REFERENCE_SCHEMA = join(import.meta.dirname, '../fixtures/reference/compose-spec.schema.json');
// compose-go's schema is newer than the spec's (what Docker Compose validates with); where the two
// disagree cmp follows compose-go, so a file only it accepts may be accepted.
const COMPOSE_GO_SCHEMA = join(import.meta.dirname, '../fixtures/reference/compose-go.schema.json');
const CORPUS = join(import.meta.dirname, '../fixtures/corpus');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------
// The two validators
// ---------------------------------------------------------------------------------------------

function referenceValidator(): (tree: unknown) => boolean {
  const schema = JSON.parse(readFileSync(REFERENCE_SCHEMA, 'utf8')) as Record<string, unknown>;
  // Its $schema URL (https, no fragment) is not one ajv registers; the draft-07 default is what it means.
  delete schema.$schema;
  const validate = new Ajv({ strict: false, allErrors: false }).compile(schema);
  return (tree) => validate(tree);
}

function composeGoValidator(): (tree: unknown) => boolean {
  const schema = JSON.parse(readFileSync(COMPOSE_GO_SCHEMA, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const validate = new Ajv2020({ strict: false, allowUnionTypes: true }).compile(schema);
  return (tree) => validate(tree);
}

const ours = compileComposeSchema();
const reference = referenceValidator();
const composeGo = composeGoValidator();

function ourFailure(tree: unknown): SchemaFailure | undefined {
  return ours(tree) ? undefined : explainSchemaErrors(ours.errors ?? [], tree);
}

// ---------------------------------------------------------------------------------------------
// Where cmp rejects what the reference accepts, on purpose. Each entry names the path and message
// our validator gives; a disagreement not covered here fails the test.
// ---------------------------------------------------------------------------------------------

interface Difference {
  path: RegExp;
  message: RegExp;
  reason: string;
}

const DURATION_PATHS =
  /^services\.[^.]+\.(stop_grace_period|healthcheck\.(interval|timeout|start_period|start_interval)|deploy\.(update_config|rollback_config)\.(delay|monitor)|deploy\.restart_policy\.(delay|window))$/;

const DIFFERENCES: Difference[] = [
  {
    path: /^services\.[^.]+\.restart$/,
    message: /must be no, always, unless-stopped or on-failure\[:N\]$/,
    reason:
      'The reference takes any string; docker compose passes it on and the engine rejects it at create time. cmp runs the policy itself, so it checks the value up front.',
  },
  {
    path: /^services\.[^.]+\.deploy\.restart_policy\.condition$/,
    message: /must be one of: none, on-failure, any$/,
    reason: 'The spec lists three conditions; the reference leaves the field a free string.',
  },
  {
    path: DURATION_PATHS,
    message: /must be a duration such as/,
    reason:
      'The reference types durations as any string; docker compose fails later when it parses them. cmp says so at validation, with the location.',
  },
  {
    path: /^services\.[^.]+\.container_name$/,
    message: /must be a name of two or more/,
    reason:
      "The reference pattern is not anchored, so it accepts any name containing two valid characters (e.g. 'my web'); the engine rejects those.",
  },
  {
    path: /^services\.[^.]+\.pull_policy$/,
    message: /must be always, never/,
    reason:
      "The reference pattern is not anchored (it accepts 'neverland'); cmp requires the whole value to be a policy.",
  },
  {
    path: /(^|\.)x-cmp(\.|$)/,
    message: /./,
    reason:
      "x-cmp is cmp's own extension block; the reference accepts any x- value, cmp checks the block it reads.",
  },
  {
    path: /^(networks|models)\.[^.]+$/,
    message: /^(networks|models) has an invalid name/,
    reason:
      'The reference applies the resource name pattern to services, volumes, configs and secrets but leaves networks and models open; cmp checks every resource name the same way.',
  },
];

const differencesSeen = new Set<Difference>();

/** Fails with the tree and both verdicts when the schemas disagree outside the allow-list. */
function expectAgreement(tree: unknown, label: string): boolean {
  const refValid = reference(tree);
  const failure = ourFailure(tree);
  const ourValid = failure === undefined;
  if (refValid === ourValid) return refValid;
  if (!refValid && ourValid && composeGo(tree)) return true;
  if (refValid && failure) {
    const where = formatTreePath(failure.path);
    const allowed = DIFFERENCES.find((d) => d.path.test(where) && d.message.test(failure.message));
    if (allowed) {
      differencesSeen.add(allowed);
      return refValid;
    }
  }
  expect.fail(
    `${label}: reference says ${refValid ? 'valid' : 'invalid'}, ours says ${ourValid ? 'valid' : `invalid (${failure?.message})`}\n${JSON.stringify(tree)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Corpus: real files, interpolated the simple way (default if given, else empty)
// ---------------------------------------------------------------------------------------------

function composeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...composeFiles(full));
    else if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

// Unset variables: `${VAR:-d}`/`${VAR-d}` give d, everything else gives ''; `$$` is a literal `$`.
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{[A-Za-z_]\w*(:?[-?+])?([^}]*)\}|\$[A-Za-z_]\w*/g,
    (match, op?: string, rest?: string) => {
      if (match === '$$') return '$';
      return op === '-' || op === ':-' ? (rest ?? '') : '';
    },
  );
}

function interpolateTree(node: unknown): unknown {
  if (typeof node === 'string') return interpolate(node);
  if (Array.isArray(node)) return node.map(interpolateTree);
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v)]));
  }
  return node;
}

describe('corpus agreement', () => {
  const files = composeFiles(CORPUS);

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((f) => [f.slice(CORPUS.length + 1), f]))('%s: same verdict, and valid', (_name, file) => {
    const tree = interpolateTree(parse(readFileSync(file, 'utf8'), { merge: true }));
    expect(expectAgreement(tree, file)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated cases: every attribute in its short and long forms, then mutations of each
// ---------------------------------------------------------------------------------------------

const HOOK = {
  command: ['sh', '-c', 'echo hi'],
  user: 'root',
  privileged: true,
  working_dir: '/',
  environment: { A: '1' },
};
const ROLLOUT = {
  parallelism: 2,
  delay: '10s',
  failure_action: 'pause',
  monitor: '5s',
  max_failure_ratio: 0.1,
  order: 'start-first',
};
const DEVICE_REQUEST = {
  capabilities: ['gpu'],
  count: 'all',
  device_ids: ['0'],
  driver: 'nvidia',
  options: { a: 'b' },
};

/** Valid values for every service attribute, short and long forms. */
const SERVICE_ATTRIBUTES: Record<string, Json[]> = {
  image: ['nginx:1.25'],
  build: [
    '.',
    {
      context: '.',
      dockerfile: 'Dockerfile',
      dockerfile_inline: 'FROM scratch',
      entitlements: ['network.host'],
      args: { VERSION: '1' },
      ssh: ['default'],
      labels: ['a=b'],
      cache_from: ['type=local,src=/tmp'],
      cache_to: ['type=inline'],
      no_cache: true,
      additional_contexts: { base: '../base' },
      network: 'host',
      provenance: 'mode=max',
      sbom: true,
      pull: 'true',
      target: 'prod',
      shm_size: '2gb',
      extra_hosts: ['db:10.0.0.2'],
      isolation: 'default',
      privileged: false,
      secrets: ['token', { source: 'key', target: 'key.pem' }],
      tags: ['me/app:1'],
      ulimits: { nofile: 1024 },
      platforms: ['linux/amd64'],
      'x-note': 'built',
    },
  ],
  command: ['echo hi', ['echo', 'hi'], null, []],
  entrypoint: ['/entry.sh', ['/bin/sh', '-c'], null],
  working_dir: ['/app'],
  user: ['1000:1000'],
  group_add: [['wheel', 100]],
  init: [true, 'false'],
  tty: [true],
  stdin_open: ['true'],
  attach: [false],
  platform: ['linux/arm64'],
  pull_policy: ['always', 'never', 'missing', 'if_not_present', 'build', 'daily', 'every_12h'],
  pull_refresh_after: ['1h'],
  runtime: ['runc'],
  read_only: [true],
  provider: [{ type: 'model', options: { model: 'ai/smollm2', size: 1, flags: ['a', 2, true] } }],
  models: [['llm'], { llm: { endpoint_var: 'LLM_URL', model_var: 'LLM_MODEL' } }],
  use_api_socket: [true],
  depends_on: [
    ['db', 'cache'],
    {
      db: { condition: 'service_healthy', restart: true, required: false },
      init: { condition: 'service_completed_successfully' },
      cache: { condition: 'service_started', 'x-why': 'speed' },
    },
  ],
  restart: ['no', 'always', 'on-failure', 'on-failure:3', 'unless-stopped'],
  healthcheck: [
    {
      test: ['CMD', 'true'],
      interval: '10s',
      timeout: '5s',
      retries: 3,
      start_period: '1m30s',
      start_interval: '500ms',
    },
    { test: 'curl -f http://localhost', disable: false, retries: '5' },
    { disable: true },
  ],
  stop_signal: ['SIGINT'],
  stop_grace_period: ['30s', '1m'],
  post_start: [[HOOK]],
  pre_stop: [[{ command: 'nginx -s quit' }]],
  scale: [2, '3'],
  deploy: [
    {
      mode: 'replicated',
      replicas: 2,
      endpoint_mode: 'vip',
      labels: { tier: 'web' },
      resources: {
        limits: { cpus: '0.5', memory: '512M', pids: 100 },
        reservations: {
          cpus: 0.25,
          memory: '128M',
          devices: [DEVICE_REQUEST],
          generic_resources: [{ discrete_resource_spec: { kind: 'gpu', value: 2 } }],
        },
      },
      restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 3, window: '120s' },
      update_config: ROLLOUT,
      rollback_config: { ...ROLLOUT, order: 'stop-first' },
      placement: {
        constraints: ['node.role==manager'],
        preferences: [{ spread: 'node.labels.zone' }],
        max_replicas_per_node: 1,
      },
    },
    null,
  ],
  develop: [
    {
      watch: [
        {
          path: './src',
          action: 'sync',
          target: '/app/src',
          ignore: ['node_modules/'],
          include: '*.js',
          initial_sync: true,
        },
        { path: 'package.json', action: 'rebuild' },
        { path: './conf', action: 'sync+exec', target: '/etc/app', exec: { command: ['kill', '-HUP', '1'] } },
        { path: './bin', action: 'sync+restart', target: '/bin' },
      ],
    },
    null,
  ],
  profiles: [['debug', 'tools']],
  extends: ['base', { service: 'base', file: 'common.yaml' }],
  environment: [{ A: '1', B: 2, C: true, D: null }, ['A=1', 'B']],
  env_file: ['.env', ['.env', { path: 'extra.env', required: false, format: 'raw' }]],
  labels: [{ 'com.example.role': 'web' }, ['com.example.role=web']],
  label_file: ['./labels', ['./a', './b']],
  annotations: [{ 'com.example.a': 'b' }],
  hostname: ['web'],
  domainname: ['example.com'],
  container_name: ['my-web', 'web_1.a'],
  networks: [
    ['front', 'back'],
    {
      front: {
        aliases: ['www'],
        ipv4_address: '172.20.0.5',
        ipv6_address: 'fd00::5',
        interface_name: 'eth1',
        link_local_ips: ['169.254.0.5'],
        mac_address: '02:42:ac:11:00:02',
        driver_opts: { mtu: 1400, name: 'x' },
        priority: 100,
        gw_priority: 1,
      },
      back: null,
    },
  ],
  network_mode: ['host', 'service:db', 'none'],
  ports: [
    ['80:80', '127.0.0.1:8080:80/udp', 9000, '3000-3005'],
    [
      {
        target: 80,
        published: '8080',
        host_ip: '127.0.0.1',
        protocol: 'tcp',
        mode: 'host',
        name: 'web',
        app_protocol: 'http',
      },
    ],
    [{ target: '80', published: 8080 }],
  ],
  expose: [['3000', 3001, '4000/udp']],
  links: [['db:database']],
  external_links: [['redis:cache']],
  extra_hosts: [['host.docker.internal:host-gateway'], { somehost: '10.0.0.1', multi: ['10.0.0.2', '::1'] }],
  dns: ['8.8.8.8', ['8.8.8.8', '1.1.1.1']],
  dns_opt: [['use-vc']],
  dns_search: ['example.com', ['a.example', 'b.example']],
  mac_address: ['02:42:ac:11:00:02'],
  volumes: [
    ['data:/data:ro', './src:/src'],
    [
      {
        type: 'volume',
        source: 'data',
        target: '/data',
        read_only: true,
        volume: { nocopy: true, subpath: 'sub', labels: { a: 'b' } },
      },
      {
        type: 'bind',
        source: './conf',
        target: '/etc/conf',
        consistency: 'cached',
        bind: { propagation: 'rprivate', create_host_path: true, selinux: 'z', recursive: 'readonly' },
      },
      { type: 'tmpfs', target: '/scratch', tmpfs: { size: 1000, mode: 1777 } },
      { type: 'image', source: 'alpine', target: '/img', image: { subpath: 'etc' } },
    ],
  ],
  volumes_from: [['other:ro', 'container:legacy']],
  tmpfs: ['/run', ['/run', '/tmp:size=64m']],
  configs: [['app', { source: 'app', target: '/etc/app.conf', uid: '0', gid: '0', mode: 288 }]],
  secrets: [['token', { source: 'token', target: 'token', mode: '0400' }]],
  storage_opt: [{ size: '20G' }],
  shm_size: ['64m', 67108864],
  ipc: ['host', 'service:db'],
  pid: ['host', null],
  uts: ['host'],
  cgroup: ['host', 'private'],
  cgroup_parent: ['m-executor'],
  userns_mode: ['host'],
  privileged: [true],
  cap_add: [['NET_ADMIN']],
  cap_drop: [['ALL']],
  security_opt: [['no-new-privileges:true']],
  sysctls: [{ 'net.core.somaxconn': 1024 }, ['net.ipv4.ip_forward=1']],
  devices: [['/dev/fuse:/dev/fuse:rwm', { source: '/dev/sda', target: '/dev/xvda', permissions: 'r' }]],
  device_cgroup_rules: [['c 1:3 mr']],
  gpus: ['all', [{ driver: 'nvidia', count: 1, capabilities: ['gpu'] }]],
  credential_spec: [{ file: 'spec.json' }, { registry: 'x', config: 'y' }],
  isolation: ['default'],
  cpus: [1.5, '0.5'],
  cpu_count: [2, '2'],
  cpu_percent: [50],
  cpu_shares: [512],
  cpu_period: [100000],
  cpu_quota: ['50000'],
  cpu_rt_runtime: ['400ms'],
  cpu_rt_period: [1400],
  cpuset: ['0-1'],
  mem_limit: ['512m', 536870912],
  mem_reservation: ['256m', 1024],
  mem_swappiness: [60],
  memswap_limit: [-1, '1g'],
  oom_kill_disable: [true],
  oom_score_adj: [500, '-100'],
  pids_limit: [100],
  ulimits: [{ nproc: 65535, nofile: { soft: 20000, hard: 40000 } }],
  blkio_config: [
    {
      weight: 300,
      weight_device: [{ path: '/dev/sda', weight: 400 }],
      device_read_bps: [{ path: '/dev/sda', rate: '12mb' }],
      device_read_iops: [{ path: '/dev/sda', rate: 120 }],
      device_write_bps: [{ path: '/dev/sda', rate: '1024k' }],
      device_write_iops: [{ path: '/dev/sda', rate: '30' }],
    },
  ],
  logging: [{ driver: 'json-file', options: { 'max-size': '10m', 'max-file': 3, tag: null } }],
  'x-cmp': [{ host_rootfs: true, restart_unhealthy: true }, { restart_unhealthy: { max_restarts: 3 } }],
  'x-anything': [{ free: ['form'] }],
};

/** Valid values for each top-level key. */
const TOP_LEVEL: Record<string, Json[]> = {
  services: [{ web: { image: 'nginx' }, 'db.primary_1-a': { build: '.' } }, {}],
  version: ['3.8'],
  name: ['shop'],
  include: [['other/compose.yaml', { path: ['a.yaml', 'b.yaml'], env_file: '.env', project_directory: '.' }]],
  networks: [
    {
      front: null,
      back: {
        name: 'shop-back',
        driver: 'bridge',
        driver_opts: { 'com.docker.network.driver.mtu': 1400 },
        ipam: {
          driver: 'default',
          config: [
            {
              subnet: '172.20.0.0/16',
              ip_range: '172.20.5.0/24',
              gateway: '172.20.0.1',
              aux_addresses: { host1: '172.20.0.2' },
            },
          ],
          options: { foo: 'bar' },
        },
        internal: true,
        attachable: 'true',
        enable_ipv4: true,
        enable_ipv6: false,
        labels: ['a=b'],
        'x-cmp': { ip_assignment: 'sticky' },
      },
      outside: { external: true, name: 'shared' },
      legacy: { external: { name: 'old-net' } },
    },
  ],
  volumes: [
    {
      data: null,
      nfs: {
        driver: 'local',
        driver_opts: { type: 'nfs', o: 'addr=10.0.0.1' },
        labels: { a: 'b' },
        name: 'nfs-data',
      },
      outside: { external: true },
    },
  ],
  configs: [
    {
      c1: { file: './app.conf' },
      c2: { content: 'hello' },
      c3: { environment: 'APP_CONF' },
      c4: { external: true, name: 'shared-conf' },
      c5: { file: './x', template_driver: 'golang', labels: ['a=b'] },
    },
  ],
  secrets: [
    {
      s1: { file: './token' },
      s2: { environment: 'TOKEN' },
      s3: { external: true },
      s4: {
        name: 'n',
        file: 'f',
        driver: 'd',
        driver_opts: { a: 1 },
        template_driver: 't',
        labels: { a: 'b' },
      },
    },
  ],
  models: [{ llm: { model: 'ai/smollm2', name: 'small', context_size: 4096, runtime_flags: ['--verbose'] } }],
  'x-cmp': [
    { runtime: 'docker', lint: { rules: { 'port-clash': 'off', 'restart-loop': 'error' } } },
    { runtime: 'embedded' },
  ],
  'x-common': [{ restart: 'always', anything: [1, 'two'] }],
};

function serviceDoc(service: Record<string, Json>): Json {
  return { services: { web: { image: 'nginx', ...service } } };
}

function baseDocuments(): Json[] {
  const docs: Json[] = [];
  for (const [attr, values] of Object.entries(SERVICE_ATTRIBUTES)) {
    for (const value of values) docs.push(serviceDoc({ [attr]: value }));
  }
  for (const [key, values] of Object.entries(TOP_LEVEL)) {
    for (const value of values) docs.push({ services: { web: { image: 'nginx' } }, [key]: value });
  }
  return docs;
}

// Values of every JSON type, used to replace any node.
const REPLACEMENTS: Json[] = [42, 1.5, -7, true, 'text', '', [], ['a', 'b'], {}, { key: 'value' }, null];

function allPaths(node: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(node)) {
    node.forEach((child, i) => out.push([...prefix, i], ...allPaths(child, [...prefix, i])));
  } else if (node !== null && typeof node === 'object') {
    for (const [k, child] of Object.entries(node))
      out.push([...prefix, k], ...allPaths(child, [...prefix, k]));
  }
  return out;
}

function get(node: Json, path: Path): Json {
  let cur: Json = node;
  for (const seg of path) cur = (cur as Record<string | number, Json>)[seg] as Json;
  return cur;
}

function withChange(
  doc: Json,
  path: Path,
  change: (parent: Record<string | number, Json> | Json[], key: string | number) => void,
): Json {
  const copy = structuredClone(doc);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  change(parent, path[path.length - 1] as string | number);
  return copy;
}

/** Wrong types, unknown and misspelled keys, missing keys, wrong nesting: each applied at every node. */
function mutations(doc: Json): Json[] {
  const out: Json[] = [];
  for (const path of allPaths(doc)) {
    for (const value of REPLACEMENTS) {
      out.push(withChange(doc, path, (p, k) => ((p as Record<string | number, Json>)[k] = value)));
    }
    // Missing key / missing list entry.
    out.push(
      withChange(doc, path, (p, k) => {
        if (Array.isArray(p)) p.splice(Number(k), 1);
        else delete p[k];
      }),
    );
    // Wrong nesting: the value one level too deep, as a mapping and as a list.
    out.push(
      withChange(
        doc,
        path,
        (p, k) => ((p as Record<string | number, Json>)[k] = { [String(k)]: get(doc, path) }),
      ),
    );
    out.push(withChange(doc, path, (p, k) => ((p as Record<string | number, Json>)[k] = [get(doc, path)])));
  }
  for (const path of [[], ...allPaths(doc)]) {
    const node = get(doc, path);
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const keys = Object.keys(node);
    const extra = ['bogus', 'x-extra', 'spaced key', ...keys.slice(0, 3).map((k) => `${k.slice(0, -1)}_`)];
    for (const key of extra) {
      const copy = structuredClone(doc);
      (get(copy, path) as Record<string, Json>)[key] = 'value';
      out.push(copy);
    }
  }
  return out;
}

/** Several attributes in one service, chosen by fast-check with a fixed seed. */
function combinedDocuments(): Json[] {
  const entries = Object.entries(SERVICE_ATTRIBUTES);
  const pick = fc.tuple(
    fc.subarray(entries, { minLength: 2, maxLength: 15 }),
    fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
  );
  return fc
    .sample(pick, { seed: 20240523, numRuns: 150 })
    .map(([chosen, indexes]) =>
      serviceDoc(
        Object.fromEntries(
          chosen.map(([attr, values], i) => [attr, values[(indexes[i] ?? 0) % values.length] as Json]),
        ),
      ),
    );
}

function unique(docs: Json[]): Json[] {
  const seen = new Map<string, Json>();
  for (const d of docs) seen.set(JSON.stringify(d), d);
  return [...seen.values()];
}

describe('generated agreement', () => {
  const bases = baseDocuments();
  const combined = combinedDocuments();

  it('covers every service attribute the reference knows', () => {
    const refSchema = JSON.parse(readFileSync(REFERENCE_SCHEMA, 'utf8')) as {
      definitions: { service: { properties: Record<string, unknown> } };
      properties: Record<string, unknown>;
    };
    expect(
      Object.keys(refSchema.definitions.service.properties).filter((k) => !(k in SERVICE_ATTRIBUTES)),
    ).toEqual([]);
    expect(Object.keys(refSchema.properties).filter((k) => !(k in TOP_LEVEL))).toEqual([]);
  });

  it('accepts every attribute in its short and long forms, alone and combined, as the reference does', () => {
    for (const doc of [...bases, ...combined]) {
      expect(expectAgreement(doc, 'valid base'), JSON.stringify(doc)).toBe(true);
    }
  });

  it('agrees on every mutation of them', () => {
    const cases = unique(bases.flatMap(mutations));
    let invalid = 0;
    for (const [i, doc] of cases.entries()) {
      if (!expectAgreement(doc, `mutation ${i}`)) invalid++;
    }
    if (process.env.CMP_SCHEMA_STATS) console.log(`${cases.length} mutations, ${invalid} invalid`);
    expect(cases.length).toBeGreaterThan(200);
    expect(invalid).toBeGreaterThan(100);
    expect(cases.length - invalid).toBeGreaterThan(100);
  });

  it('agrees on targeted invalid files', () => {
    const invalid: Json[] = [
      serviceDoc({ ports: '80:80' }),
      serviceDoc({ depends_on: { db: { required: true } } }),
      serviceDoc({ volumes: [{ source: 'a', target: '/a' }] }),
      serviceDoc({ volumes: [{ type: 'overlay', target: '/a' }] }),
      serviceDoc({ cgroup: 'shared' }),
      serviceDoc({ develop: { watch: [{ path: '.', action: 'copy' }] } }),
      serviceDoc({ ulimits: { nofile: { soft: 1 } } }),
      serviceDoc({ extends: { file: 'x.yaml' } }),
      serviceDoc({ post_start: [{ user: 'root' }] }),
      serviceDoc({ cpu_percent: 101 }),
      serviceDoc({ oom_score_adj: 1001 }),
      serviceDoc({ ports: ['80', '80'] }),
      serviceDoc({ deploy: { resources: { reservations: { devices: [{ count: 1 }] } } } }),
      serviceDoc({ gpus: 'some' }),
      { services: { 'bad name': { image: 'a' } } },
      { volumes: { 'bad name': {} } },
      { services: [] },
      { models: { llm: { name: 'x' } } },
      { secrets: { s: { content: 'inline' } } },
      { include: [{ path: 'a.yaml', project: 'x' }] },
      { services: { web: { image: 'a' } }, service: {} },
      [],
    ];
    for (const doc of invalid) expect(expectAgreement(doc, 'targeted'), JSON.stringify(doc)).toBe(false);
  });

  it('differs from the reference exactly where listed', () => {
    const stricter: Json[] = [
      serviceDoc({ restart: 'sometimes' }),
      serviceDoc({ deploy: { restart_policy: { condition: 'never' } } }),
      serviceDoc({ healthcheck: { interval: '10 seconds' } }),
      serviceDoc({ stop_grace_period: 'soon' }),
      serviceDoc({ container_name: 'my web' }),
      serviceDoc({ pull_policy: 'neverland' }),
      serviceDoc({ 'x-cmp': { host_rootfs: 'yes' } }),
      { networks: { 'front net': {} } },
      { models: { 'my model': { model: 'ai/x' } } },
      { 'x-cmp': { runtime: 'podman' } },
    ];
    for (const doc of stricter) {
      expect(reference(doc), JSON.stringify(doc)).toBe(true);
      expect(ourFailure(doc), JSON.stringify(doc)).toBeDefined();
      expect(expectAgreement(doc, 'listed difference'), JSON.stringify(doc)).toBe(true);
    }
  });

  it('exercises every listed difference', () => {
    const pending = DIFFERENCES.filter((d) => !differencesSeen.has(d)).map((d) => d.path.source);
    expect(pending).toEqual([]);
  });
});
