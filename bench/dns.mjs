// DNS answer latency inside a container (embedded runtime, the gateway resolver answering a service name), and TCP
// connect time from the host through a published port on 127.0.0.1 vs directly to the container's bridge address.
// Host-rootfs services, so the host's node runs inside the container as the DNS client. `npm run bench:dns`.
import { createConnection } from 'node:net';
import { setTimeout } from 'node:timers';
import { fmtMs, hostLine, main, median, mustCmp, percentile, projectDir, table } from './lib/common.mjs';
import { cmpTeardown, removeCmpRootsAtEnd } from './lib/projects.mjs';

const QUERIES = Number(process.env.BENCH_DNS_QUERIES ?? 1000);
const CONNECTS = Number(process.env.BENCH_CONNECTS ?? 500);
const PORT = Number(process.env.BENCH_PORT ?? 18_480);
const PROJECT = 'cmpbench-dns';

const YAML = `services:
  server:
    x-cmp: {host_rootfs: true}
    command: ["busybox", "httpd", "-f", "-p", "8000", "-h", "/tmp"]
    ports: ["127.0.0.1:${PORT}:8000"]
    networks: [net]
  client:
    x-cmp: {host_rootfs: true}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    networks: [net]
networks:
  net: {}
`;

// Runs inside the client container: N sequential A queries for "server" to the first resolv.conf nameserver, each
// timed from send to answer; prints the timings and the answered address as JSON. Bounded: N queries, 2 s timeout each.
const CLIENT = `
const dgram = require('node:dgram');
const fs = require('node:fs');
const ns = /^nameserver\\s+(\\S+)/m.exec(fs.readFileSync('/etc/resolv.conf', 'utf8'))[1];
const n = Number(process.argv[1]);
const name = process.argv[2];
function query(id) {
  const labels = Buffer.concat(name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])));
  const head = Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([head, labels, Buffer.from([0, 0, 1, 0, 1])]);
}
const sock = dgram.createSocket('udp4');
const times = [];
let addr;
let i = 0;
let t0;
let timer;
function next() {
  if (i === n) { sock.close(); console.log(JSON.stringify({ ns, addr, times })); return; }
  i++;
  t0 = process.hrtime.bigint();
  timer = setTimeout(() => { console.error('timeout on query ' + i); process.exit(2); }, 2000);
  sock.send(query(i & 0xffff), 53, ns);
}
sock.on('message', (m) => {
  clearTimeout(timer);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (m.length >= 4 && m.readUInt16BE(6) > 0) addr = Array.from(m.subarray(m.length - 4)).join('.');
  next();
});
next();
`;

function connectOnce(host, port) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const s = createConnection({ host, port });
    s.setTimeout(2000, () => {
      s.destroy();
      reject(new Error(`connect ${host}:${port} timed out`));
    });
    s.on('connect', () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      s.destroy();
      resolve(ms);
    });
    s.on('error', reject);
  });
}

async function connects(host, port) {
  // The server may still be starting: the first connect is retried for up to 5 s.
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await connectOnce(host, port);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const xs = [];
  for (let i = 0; i < CONNECTS; i++) xs.push(await connectOnce(host, port));
  return xs;
}

await main(async () => {
  removeCmpRootsAtEnd();
  const dir = projectDir('dns', YAML);
  cmpTeardown(dir, PROJECT);
  mustCmp(['-p', PROJECT, 'up', '-d'], { cwd: dir });
  const r = mustCmp(
    ['-p', PROJECT, 'exec', '-T', 'client', 'node', '-e', CLIENT, String(QUERIES), 'server'],
    {
      cwd: dir,
    },
  );
  const { ns, addr, times } = JSON.parse(r.stdout.trim().split('\n').pop());
  if (!addr) throw new Error(`the resolver at ${ns} gave no address for "server"`);
  const published = await connects('127.0.0.1', PORT);
  const direct = await connects(addr, 8000);
  mustCmp(['-p', PROJECT, 'down', '-v'], { cwd: dir });
  const row = (what, xs) => [
    what,
    fmtMs(median(xs)),
    fmtMs(percentile(xs, 90)),
    fmtMs(percentile(xs, 99)),
    String(xs.length),
  ];
  console.log(`### DNS and published-port latency (embedded runtime)\n`);
  console.log(`${hostLine()}; resolver ${ns}, "server" → ${addr}.\n`);
  console.log(
    table(
      ['what', 'median', 'p90', 'p99', 'samples'],
      [
        row('DNS A query for a service name, inside a container (UDP to the gateway resolver)', times),
        row(`TCP connect from the host to 127.0.0.1:${PORT} (published port)`, published),
        row(`TCP connect from the host to ${addr}:8000 (container address on the bridge)`, direct),
      ],
    ),
  );
});
