// `cmp --runtime docker up -d` / `down -v` against `docker-compose up -d` / `down -v` on the same dockerd and image,
// 10 and 50 services, median of BENCH_RUNS (default 3). `npm run build && npm run bench:docker`.
import { RUNS, fmtMs, hostLine, main, projectDir, table } from './lib/common.mjs';
import { ensureBusyboxImage, ensureDockerd } from './lib/docker.mjs';
import { cmpTool, composeTool, fmtPhases, summarise } from './lib/lifecycle.mjs';
import { cmpTeardown, composeTeardown, removeCmpRootsAtEnd, sleepers } from './lib/projects.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '10,50').split(',').map(Number);
const GLOBAL = ['--runtime', 'docker'];

await main(async () => {
  removeCmpRootsAtEnd();
  const engine = await ensureDockerd();
  await ensureBusyboxImage();
  const cmpDocker = cmpTool(GLOBAL);
  const rows = [];
  const phaseRows = [];
  for (const n of SIZES) {
    const dir = projectDir(`docker-runtime-${n}`, sleepers(n));
    const cmpProject = `cmpbench-dk${n}`;
    const dcProject = `dcbench-dk${n}`;
    cmpTeardown(dir, cmpProject, GLOBAL);
    composeTeardown(dir, dcProject);
    const c = [];
    const d = [];
    for (let r = 0; r < RUNS; r++) {
      const up = cmpDocker.up(dir, cmpProject);
      c.push({ up, down: cmpDocker.down(dir, cmpProject) });
      const dup = composeTool.up(dir, dcProject);
      d.push({ up: dup, down: composeTool.down(dir, dcProject) });
    }
    const sc = summarise(c);
    const sd = summarise(d);
    rows.push([
      String(n),
      fmtMs(sc.up),
      fmtMs(sd.up),
      `${(sd.up / sc.up).toFixed(1)}x`,
      fmtMs(sc.down),
      fmtMs(sd.down),
      `${(sd.down / sc.down).toFixed(1)}x`,
    ]);
    phaseRows.push([String(n), fmtPhases(sc.upPhases), fmtPhases(sc.downPhases)]);
  }
  console.log(`### Docker runtime: cmp --runtime docker vs docker-compose, same dockerd\n`);
  console.log(`${hostLine()}; median of ${RUNS} runs; dockerd ${engine}.\n`);
  console.log(
    table(
      [
        'services',
        'cmp up -d',
        'docker-compose up -d',
        'speed-up',
        'cmp down -v',
        'docker-compose down -v',
        'speed-up',
      ],
      rows,
    ),
  );
  console.log(`\ncmp phases, median: process start → first event / first → last event / last event → exit\n`);
  console.log(table(['services', 'up -d', 'down -v'], phaseRows));
});
