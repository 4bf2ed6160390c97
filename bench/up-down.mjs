// `cmp up -d` / `cmp down -v` (embedded runtime) against `docker-compose up -d` / `down -v` on dockerd, on the same
// busybox image (docker-saved, then `cmp image load`ed), 10 and 50 services; plus host-rootfs services on cmp, and
// the supervisor's RSS. Median of BENCH_RUNS (default 3). `npm run build && npm run bench:up`.
import { RUNS, fmtMs, hostLine, main, median, projectDir, table } from './lib/common.mjs';
import { ensureBusyboxImage, ensureDockerd } from './lib/docker.mjs';
import { cmpTool, composeTool, fmtPhases, summarise, supervisorRss } from './lib/lifecycle.mjs';
import {
  cmpTeardown,
  composeTeardown,
  loadImageIntoCmp,
  removeCmpRootsAtEnd,
  sleepers,
} from './lib/projects.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '10,50').split(',').map(Number);

await main(async () => {
  removeCmpRootsAtEnd();
  const engine = await ensureDockerd();
  await ensureBusyboxImage();
  loadImageIntoCmp();
  const cmpEmbedded = cmpTool();
  const rows = [];
  const phaseRows = [];
  const rssRows = [];
  for (const n of SIZES) {
    const image = { dir: projectDir(`up-down-${n}`, sleepers(n)), project: `cmpbench-img${n}` };
    const host = {
      dir: projectDir(`up-down-host-${n}`, sleepers(n, { hostRootfs: true })),
      project: `cmpbench-host${n}`,
    };
    const dc = { dir: image.dir, project: `dcbench-img${n}` };
    cmpTeardown(image.dir, image.project);
    cmpTeardown(host.dir, host.project);
    composeTeardown(dc.dir, dc.project);
    const samples = { image: [], host: [], dc: [] };
    const rss = [];
    for (let r = 0; r < RUNS; r++) {
      // Interleaved so drift in the machine's load hits every tool alike.
      const up = cmpEmbedded.up(image.dir, image.project);
      rss.push(supervisorRss(image.project));
      samples.image.push({ up, down: cmpEmbedded.down(image.dir, image.project) });
      const hup = cmpEmbedded.up(host.dir, host.project);
      samples.host.push({ up: hup, down: cmpEmbedded.down(host.dir, host.project) });
      const dup = composeTool.up(dc.dir, dc.project);
      samples.dc.push({ up: dup, down: composeTool.down(dc.dir, dc.project) });
    }
    const s = { image: summarise(samples.image), host: summarise(samples.host), dc: summarise(samples.dc) };
    rows.push([
      String(n),
      fmtMs(s.image.up),
      fmtMs(s.host.up),
      fmtMs(s.dc.up),
      `${(s.dc.up / s.image.up).toFixed(1)}x`,
      fmtMs(s.image.down),
      fmtMs(s.host.down),
      fmtMs(s.dc.down),
      `${(s.dc.down / s.image.down).toFixed(1)}x`,
    ]);
    phaseRows.push([String(n), fmtPhases(s.image.upPhases), fmtPhases(s.image.downPhases)]);
    rssRows.push([String(n), `${(median(rss) / 1024).toFixed(1)} MB`]);
  }
  console.log(`### up -d / down: cmp (embedded) vs docker-compose\n`);
  console.log(`${hostLine()}; median of ${RUNS} runs; dockerd ${engine}.\n`);
  console.log(
    table(
      [
        'services',
        'cmp up -d (image)',
        'cmp up -d (host-rootfs)',
        'docker-compose up -d',
        'speed-up',
        'cmp down -v (image)',
        'cmp down -v (host-rootfs)',
        'docker-compose down -v',
        'speed-up',
      ],
      rows,
    ),
  );
  console.log(
    `\ncmp phases (image), median ms: process start → first event / first → last event / last event → exit\n`,
  );
  console.log(table(['services', 'up -d', 'down -v'], phaseRows));
  console.log(`\nsupervisor RSS right after \`up -d\` (image services), median:\n`);
  console.log(table(['containers', 'supervisor VmRSS'], rssRows));
});
