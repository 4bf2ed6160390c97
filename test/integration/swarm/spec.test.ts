// The service specs `cmp deploy --dry-run` would send, checked field by field against the file: deploy
// settings in the engine's units, stack labels, versioned config names, and a hash that moves only with
// the spec.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/loader/index.js';
import { planStack } from '../../../src/deploy/swarm/plan.js';
import type { ServiceSpec } from '../../../src/deploy/swarm/types.js';
import { projectDir } from '../../e2e/helpers.js';

async function plan(yaml: string, files: Record<string, string> = {}) {
  const { dir } = projectDir(yaml);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const project = await loadProject({
    cwd: dir,
    files: [],
    envFiles: [],
    profiles: [],
    interpolate: true,
    env: { PATH: process.env.PATH },
    projectName: 'p',
  });
  return { p: planStack(project, 'st', {}), dir };
}

const svc = (specs: ServiceSpec[], name: string): ServiceSpec => {
  const s = specs.find((x) => x.Name === name);
  if (!s) throw new Error(`no ${name}`);
  return s;
};

const YAML = `
services:
  web:
    image: img:1
    entrypoint: ["/bin/app"]
    command: ["--port", "80"]
    environment: {B: "2", A: "1"}
    labels: {tier: front}
    user: "1000"
    working_dir: /srv
    read_only: true
    init: true
    cap_add: [NET_ADMIN]
    sysctls: {net.core.somaxconn: "1024"}
    ulimits: {nofile: {soft: 100, hard: 200}}
    stop_grace_period: 1m30s
    stop_signal: SIGINT
    healthcheck: {test: ["CMD", "true"], interval: 500ms, retries: 3}
    ports: [{target: 80, published: "8080", mode: host, protocol: udp}]
    networks: {front: {aliases: [www]}}
    configs: [{source: conf, target: /etc/app.conf, mode: "0400"}]
    tmpfs: ["/run:size=1m"]
    deploy:
      mode: replicated
      replicas: 3
      labels: {svc: yes}
      endpoint_mode: dnsrr
      placement: {constraints: ["node.role==manager"], preferences: [{spread: node.labels.zone}]}
      resources: {limits: {cpus: "1.5", memory: 128M, pids: 50}, reservations: {memory: 64M}}
      restart_policy: {condition: on-failure, delay: 2s, max_attempts: 4, window: 1m}
      update_config: {parallelism: 2, delay: 5s, order: start-first, failure_action: rollback}
      rollback_config: {parallelism: 1}
  agent:
    image: img:2
    deploy: {mode: global}
networks:
  front: {attachable: true, ipam: {config: [{subnet: 10.99.0.0/24}]}}
configs:
  conf: {file: ./app.conf}
`;

describe('swarm service specs', () => {
  it('maps deploy settings, runtime options and labels in the engine units', async () => {
    const { p } = await plan(YAML, { 'app.conf': 'v1' });
    const web = svc(p.services, 'st_web');
    const c = web.TaskTemplate.ContainerSpec;
    expect(c.Command).toEqual(['/bin/app']);
    expect(c.Args).toEqual(['--port', '80']);
    expect(c.Env).toEqual(['A=1', 'B=2']);
    expect(c.Labels).toEqual({ tier: 'front', 'com.docker.stack.namespace': 'st' });
    expect(web.Labels['svc']).toBe('yes');
    expect(web.Labels['com.docker.stack.image']).toBe('img:1');
    expect(c).toMatchObject({ User: '1000', Dir: '/srv', ReadOnly: true, Init: true, StopSignal: 'SIGINT' });
    expect(c.StopGracePeriod).toBe(90e9);
    expect(c.HealthCheck).toEqual({ Test: ['CMD', 'true'], Interval: 5e8, Retries: 3 });
    expect(c.CapabilityAdd).toEqual(['NET_ADMIN']);
    expect(c.Sysctls).toEqual({ 'net.core.somaxconn': '1024' });
    expect(c.Ulimits).toEqual([{ Name: 'nofile', Soft: 100, Hard: 200 }]);
    expect(c.Mounts).toEqual([{ Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 1048576 } }]);
    expect(c.Configs?.[0]).toMatchObject({ File: { Name: '/etc/app.conf', Mode: 0o400 } });
    expect(c.Configs?.[0]?.ConfigName).toMatch(/^st_conf-[0-9a-f]{10}$/);
    expect(web.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(web.TaskTemplate.Resources).toEqual({
      Limits: { NanoCPUs: 1.5e9, MemoryBytes: 128 * 1024 ** 2, Pids: 50 },
      Reservations: { MemoryBytes: 64 * 1024 ** 2 },
    });
    expect(web.TaskTemplate.RestartPolicy).toEqual({
      Condition: 'on-failure',
      Delay: 2e9,
      MaxAttempts: 4,
      Window: 60e9,
    });
    expect(web.TaskTemplate.Placement).toEqual({
      Constraints: ['node.role==manager'],
      Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }],
    });
    expect(web.UpdateConfig).toEqual({
      Parallelism: 2,
      Delay: 5e9,
      Order: 'start-first',
      FailureAction: 'rollback',
    });
    expect(web.RollbackConfig).toEqual({ Parallelism: 1 });
    expect(web.EndpointSpec).toEqual({
      Mode: 'dnsrr',
      Ports: [{ Protocol: 'udp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }],
    });
    expect(web.TaskTemplate.Networks).toEqual([{ Target: 'st_front', Aliases: ['web', 'www'] }]);
    expect(svc(p.services, 'st_agent').Mode).toEqual({ Global: {} });
    // agent has no networks: it gets the stack's default one
    expect(p.networks.map((n) => n.Name)).toEqual(['st_default', 'st_front']);
    expect(p.networks[1]).toEqual({
      Name: 'st_front',
      Driver: 'overlay',
      Attachable: true,
      Internal: false,
      Labels: { 'com.docker.stack.namespace': 'st' },
      IPAM: { Config: [{ Subnet: '10.99.0.0/24' }] },
    });
  });

  it('versions a config by content and changes only the hash of the service using it', async () => {
    const a = (await plan(YAML, { 'app.conf': 'v1' })).p;
    const b = (await plan(YAML, { 'app.conf': 'v2' })).p;
    const hash = (p: typeof a, n: string) => svc(p.services, n).Labels['io.cmp.swarm.spec-hash'];
    expect(a.objects[0]?.Name).not.toBe(b.objects[0]?.Name);
    expect(hash(a, 'st_web')).not.toBe(hash(b, 'st_web'));
    expect(hash(a, 'st_agent')).toBe(hash(b, 'st_agent'));
  });
});
