// Times `cmp config` against Debian's docker-compose (v1) on generated projects of 10, 100 and
// 1,000 services (dependency chains, networks, volumes, interpolated environment), then 1,000 services
// sharing one anchor through a `<<` merge key against v1 and `docker compose` (v2, when installed).
// Prints markdown tables of medians. Run `npm run build` first; `npm run bench:config`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench', 'out');
const cli = join(root, 'dist', 'bin', 'cmp.js');
const SIZES = [10, 100, 1000];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function generate(n) {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: "busybox:\${TAG:-1.36}"`,
      `    command: sh -c "echo svc${i} && sleep 3600"`,
      `    environment:`,
      `      INDEX: "${i}"`,
      `      REGION: "\${REGION:-eu}"`,
      `    networks: [net${i % 10}]`,
      `    volumes:`,
      `      - vol${i % 20}:/data`,
      `      - ./conf/${i}:/conf:ro`,
      `    ports:`,
      `      - "${20000 + i}:80"`,
    );
    if (i > 0) lines.push(`    depends_on:`, `      - svc${i - 1}`);
  }
  lines.push('networks:');
  for (let i = 0; i < Math.min(n, 10); i++) lines.push(`  net${i}: {}`);
  lines.push('volumes:');
  for (let i = 0; i < Math.min(n, 20); i++) lines.push(`  vol${i}: {}`);
  return `${lines.join('\n')}\n`;
}

/** The usual `x-common: &common` pattern: every service merges one anchor with `<<: *common`. */
function generateMerge(n) {
  const lines = [
    'x-common: &common',
    '  image: busybox:1.36',
    '  restart: unless-stopped',
    '  environment:',
    '    A: "1"',
    '    B: "2"',
    '  labels:',
    '    app: demo',
    'services:',
  ];
  for (let i = 0; i < n; i++) lines.push(`  s${i}:`, '    <<: *common', `    command: echo ${i}`);
  return `${lines.join('\n')}\n`;
}

function time(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, REGION: 'us' },
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) return { ms, error: (r.stderr || r.error?.message || 'failed').split('\n')[0] };
  return { ms };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Runs every cell once per round, after one warm-up round that is not counted, so that a slow start
 * of the machine or a cold file cache falls on no tool in particular; each cell's median is kept.
 * (Measuring one tool's runs back to back made the first cell pay for the warm-up.)
 */
function measureInterleaved(cells) {
  const times = cells.map(() => []);
  const errors = cells.map(() => undefined);
  for (let round = 0; round <= RUNS; round++) {
    cells.forEach((c, i) => {
      if (!c.cmd || errors[i]) return;
      const r = time(c.cmd, c.args, c.cwd);
      if (r.error) errors[i] = r.error;
      else if (round > 0) times[i].push(r.ms);
    });
  }
  return cells.map((c, i) =>
    !c.cmd ? { error: 'not installed' } : errors[i] ? { error: errors[i] } : { ms: median(times[i]) },
  );
}

const hasCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
const hasComposeV2 = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
const fmt = (r) => (r.error ? `error: ${r.error}` : `${r.ms.toFixed(0)} ms`);
const rows = [];
for (const n of SIZES) {
  const dir = join(outDir, `services-${n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), generate(n));
  const v1 = hasCompose ? 'docker-compose' : undefined;
  const [cmpQ, dcQ, cmpFull, dcFull] = measureInterleaved([
    { cmd: process.execPath, args: [cli, 'config', '-q'], cwd: dir },
    { cmd: v1, args: ['config', '-q'], cwd: dir },
    { cmd: process.execPath, args: [cli, 'config'], cwd: dir },
    { cmd: v1, args: ['config'], cwd: dir },
  ]);
  rows.push(`| ${n} | ${fmt(cmpQ)} | ${fmt(dcQ)} | ${fmt(cmpFull)} | ${fmt(dcFull)} |`);
}
console.log(
  `Median of ${RUNS} interleaved rounds (after one warm-up round), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.\n`,
);
console.log('| services | cmp config -q | docker-compose config -q | cmp config | docker-compose config |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);

const mergeDir = join(outDir, 'merge-anchor-1000');
mkdirSync(mergeDir, { recursive: true });
writeFileSync(join(mergeDir, 'compose.yaml'), generateMerge(1000));
const tools = [
  ['cmp', process.execPath, [cli]],
  ['docker compose (v2)', hasComposeV2 ? 'docker' : undefined, ['compose']],
  ['docker-compose (v1)', hasCompose ? 'docker-compose' : undefined, []],
];
console.log('\n1,000 services sharing one anchor through `<<: *common`:\n');
console.log('| tool | config -q | config |');
console.log('|---|---:|---:|');
const results = measureInterleaved(
  tools.flatMap(([, cmd, pre]) => [
    { cmd, args: [...pre, 'config', '-q'], cwd: mergeDir },
    { cmd, args: [...pre, 'config'], cwd: mergeDir },
  ]),
);
tools.forEach(([name], i) =>
  console.log(`| ${name} | ${fmt(results[2 * i])} | ${fmt(results[2 * i + 1])} |`),
);
