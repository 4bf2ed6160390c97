// Start latency of one container and of 10 at once: `cmp run --rm -T` (what a user sees) and the embedded runtime's
// own calls from dist/ (create, start, first output), against `docker run --rm` on the same busybox image, with no
// network (`network_mode: none` / `--network none`) so only container start is timed. `npm run bench:start`.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';
import {
  CLI,
  CMP_ENV,
  ROOT,
  RUNS,
  cmpEnv,
  fmtMs,
  hostLine,
  main,
  median,
  mustCmp,
  onCleanup,
  percentile,
  projectDir,
  run,
  table,
  timeToOutput,
} from './lib/common.mjs';
import { IMAGE, ensureBusyboxImage, ensureDockerd } from './lib/docker.mjs';
import { cmpTeardown, loadImageIntoCmp, removeCmpRootsAtEnd } from './lib/projects.mjs';

// Start latency is noisy at this scale: more samples than the lifecycle benchmarks by default.
const SAMPLES = Math.max(RUNS, Number(process.env.BENCH_START_RUNS ?? 15));
const PARALLEL = 10;
const PROJECT = 'cmpbench-start';

const YAML = `services:
  one:
    image: ${IMAGE}
    network_mode: none
`;

async function parallel(n, fn) {
  const t0 = process.hrtime.bigint();
  const rs = await Promise.all(Array.from({ length: n }, fn));
  const bad = rs.find((r) => r.error);
  if (bad) throw new Error(bad.error);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function stats(xs) {
  return [fmtMs(median(xs)), fmtMs(percentile(xs, 90))];
}

/** The runtime API directly: no CLI process, no project loading per container. */
async function runtimeLevel(dir) {
  Object.assign(process.env, CMP_ENV);
  const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
  const { loadProject } = await dist('loader/index.js');
  const { openRuntime } = await dist('runtime/open.js');
  const project = await loadProject({
    cwd: dir,
    files: [],
    projectName: PROJECT,
    envFiles: [],
    profiles: [],
    interpolate: true,
    env: process.env,
  });
  const runtime = await openRuntime('embedded');
  const image = await runtime.ensureImage(IMAGE, 'never');
  const service = project.services.one;
  let seq = 0;
  const one = async () => {
    const name = `${PROJECT}-rt-${process.pid}-${seq++}`;
    const t0 = performance.now();
    const c = await runtime.createContainer({
      name,
      project,
      serviceName: 'one',
      service,
      number: 1,
      oneoff: true,
      labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'one' },
      image,
      networks: [],
      command: ['echo', 'ready'],
    });
    onCleanup(async () => {
      if (await runtime.inspectContainer(c.id))
        await runtime.removeContainer(c.id, { force: true, volumes: true });
    });
    const t1 = performance.now();
    await runtime.startContainer(c.id);
    const t2 = performance.now();
    // Polls the log every 2 ms: the runtime's own follow mode polls every 100 ms, which would hide the number.
    for (;;) {
      let got = false;
      for await (const l of runtime.logs(c.id, { follow: false })) if (l.line.includes('ready')) got = true;
      if (got) break;
      if (performance.now() - t2 > 10_000) throw new Error('no output within 10 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    const t3 = performance.now();
    await runtime.waitContainer(c.id);
    await runtime.removeContainer(c.id, { force: true, volumes: true });
    return { create: t1 - t0, start: t2 - t1, output: t3 - t2, total: t3 - t0 };
  };
  await one(); // warm-up: first call loads modules and the image record
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await one());
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, one));
  const par = performance.now() - t0;
  return { samples, par };
}

await main(async () => {
  removeCmpRootsAtEnd();
  await ensureDockerd();
  await ensureBusyboxImage();
  loadImageIntoCmp();
  const dir = projectDir('container-start', YAML);
  cmpTeardown(dir, PROJECT);
  onCleanup(() => {
    const ids = run('docker', ['ps', '-aq', '--filter', 'label=cmp-bench=start']).stdout.trim();
    if (ids) run('docker', ['rm', '-f', ...ids.split('\n')]);
  });
  const cmpRun = () =>
    timeToOutput(
      process.execPath,
      [CLI, '-p', PROJECT, 'run', '--rm', '-T', 'one', 'echo', 'ready'],
      'ready',
      {
        cwd: dir,
        env: cmpEnv(),
      },
    );
  const dockerRun = () =>
    timeToOutput(
      'docker',
      ['run', '--rm', '--network', 'none', '--label', 'cmp-bench=start', IMAGE, 'echo', 'ready'],
      'ready',
    );
  const node = () => timeToOutput(process.execPath, ['-e', 'console.log("ready")'], 'ready');

  await cmpRun();
  await dockerRun();
  const c = { first: [], total: [] };
  const d = { first: [], total: [] };
  const n = [];
  for (let i = 0; i < SAMPLES; i++) {
    for (const [fn, into] of [
      [cmpRun, c],
      [dockerRun, d],
    ]) {
      const r = await fn();
      if (r.error) throw new Error(r.error);
      into.first.push(r.first);
      into.total.push(r.total);
    }
    const r = await node();
    n.push(r.first);
  }
  const cPar = [];
  const dPar = [];
  for (let i = 0; i < RUNS; i++) {
    cPar.push(await parallel(PARALLEL, cmpRun));
    dPar.push(await parallel(PARALLEL, dockerRun));
  }
  const rt = await runtimeLevel(dir);
  const pick = (k) => rt.samples.map((s) => s[k]);
  mustCmp(['-p', PROJECT, 'down', '-v', '-t', '0'], { cwd: dir });

  console.log(`### Container start: cmp (embedded) vs docker run\n`);
  console.log(`${hostLine()}; ${SAMPLES} samples (10-container rows: median of ${RUNS}).\n`);
  console.log(
    table(
      ['what', 'median', 'p90'],
      [
        ['`cmp run --rm -T one echo ready`: spawn → "ready"', ...stats(c.first)],
        ['`cmp run --rm …`: spawn → exit (container removed)', ...stats(c.total)],
        ['`docker run --rm --network none … echo ready`: spawn → "ready"', ...stats(d.first)],
        ['`docker run --rm …`: spawn → exit', ...stats(d.total)],
        ['runtime API: createContainer (bundle, record, conmon + `runc create`)', ...stats(pick('create'))],
        ['runtime API: startContainer (releases the created process)', ...stats(pick('start'))],
        ['runtime API: start returned → "ready" in the log', ...stats(pick('output'))],
        ['runtime API: create → "ready" (one container)', ...stats(pick('total'))],
        ['floor: `node -e console.log` spawn → output', ...stats(n)],
        [`${PARALLEL} × \`cmp run --rm\` at once, until all exited`, fmtMs(median(cPar)), ''],
        [`${PARALLEL} × \`docker run --rm\` at once, until all exited`, fmtMs(median(dPar)), ''],
        [`${PARALLEL} × runtime API at once, until all printed`, fmtMs(rt.par), ''],
      ],
    ),
  );
});
