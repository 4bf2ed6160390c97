// The conversions that decide whether a stack still works in a cluster.
import { describe, expect, it } from 'vitest';
import type { Container, K8sObject, PodTemplate } from '../../../src/convert/kubernetes/types.js';
import { convert, find, loadYaml, validate } from './helpers.js';

function pod(o: K8sObject): PodTemplate {
  return (o.spec as { template: PodTemplate }).template;
}

function main(o: K8sObject): Container {
  return pod(o).spec.containers[0] as Container;
}

describe('workload kinds', () => {
  it('makes a Job of a one-shot service that another waits on to complete, and notes the wait', async () => {
    const r = convert(
      await loadYaml(`
services:
  migrate:
    image: app:1
    command: ["migrate", "up"]
    restart: "no"
  app:
    image: app:1
    depends_on:
      migrate: {condition: service_completed_successfully}
`),
    );
    const job = find(r, 'Job', 'migrate');
    validate(job);
    expect(job.apiVersion).toBe('batch/v1');
    expect((job.spec as { backoffLimit: number }).backoffLimit).toBe(0);
    expect(pod(job).spec.restartPolicy).toBe('Never');
    expect(main(job).args).toEqual(['migrate', 'up']);
    expect(r.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'migrate')).toBe(false);
    const app = find(r, 'Deployment', 'app');
    expect(pod(app).spec.initContainers).toBeUndefined();
    expect(r.findings.find((f) => f.subject === 'app')?.reason).toContain(
      'kubectl wait --for=condition=complete job/migrate',
    );
    // Jobs come before the workloads that need them
    expect(r.objects.indexOf(job)).toBeLessThan(r.objects.indexOf(app));
  });

  it('retries a Job as often as on-failure:N allows', async () => {
    const r = convert(
      await loadYaml(`
services:
  seed: {image: s, restart: "on-failure:4"}
  app: {image: a, depends_on: {seed: {condition: service_completed_successfully}}}
`),
    );
    const job = find(r, 'Job', 'seed');
    expect((job.spec as { backoffLimit: number }).backoffLimit).toBe(4);
    expect(pod(job).spec.restartPolicy).toBe('OnFailure');
  });

  it('makes a StatefulSet with a claim for a service with a named volume, and warns when two services share it', async () => {
    const r = convert(
      await loadYaml(`
services:
  db:
    image: postgres:16
    ports: ["5432"]
    volumes: [pgdata:/var/lib/postgresql/data]
  backup:
    image: backup:1
    volumes: ["pgdata:/backup:ro"]
volumes:
  pgdata: {}
`),
    );
    const sts = find(r, 'StatefulSet', 'db');
    validate(sts);
    expect((sts.spec as { serviceName: string }).serviceName).toBe('db');
    expect(pod(sts).spec.volumes).toEqual([
      { name: 'data-pgdata', persistentVolumeClaim: { claimName: 'pgdata' } },
    ]);
    expect(main(sts).volumeMounts).toEqual([{ name: 'data-pgdata', mountPath: '/var/lib/postgresql/data' }]);
    const claim = find(r, 'PersistentVolumeClaim', 'pgdata');
    validate(claim);
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
    expect(r.objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toHaveLength(1);
    expect(main(find(r, 'StatefulSet', 'backup')).volumeMounts?.[0]?.readOnly).toBe(true);
    const shared = r.findings.find((f) => f.subject === 'volumes.pgdata');
    expect(shared?.reason).toMatch(/backup, db.*ReadWriteOnce/);
  });

  it('keeps a Deployment for a stateless service, with replicas from scale or deploy.replicas', async () => {
    const r = convert(
      await loadYaml(`services:\n  a: {image: x, deploy: {replicas: 3}}\n  b: {image: x, scale: 2}\n`),
    );
    expect((find(r, 'Deployment', 'a').spec as { replicas: number }).replicas).toBe(3);
    expect((find(r, 'Deployment', 'b').spec as { replicas: number }).replicas).toBe(2);
  });
});

describe('probes', () => {
  it('turns a healthcheck into exec probes with durations in whole seconds and a startup probe for start_period', async () => {
    const r = convert(
      await loadYaml(`
services:
  db:
    image: mysql
    healthcheck:
      test: ["CMD-SHELL", "mysqladmin ping -h 127.0.0.1"]
      interval: 1m30s
      timeout: 500ms
      retries: 5
      start_period: 30s
      start_interval: 2s
`),
    );
    const c = main(find(r, 'Deployment', 'db'));
    const expected = {
      exec: { command: ['/bin/sh', '-c', 'mysqladmin ping -h 127.0.0.1'] },
      periodSeconds: 90,
      timeoutSeconds: 1,
      failureThreshold: 5,
    };
    expect(c.readinessProbe).toEqual(expected);
    expect(c.livenessProbe).toEqual(expected);
    expect(c.startupProbe).toEqual({ ...expected, periodSeconds: 2, failureThreshold: 15 + 5 });
    validate(find(r, 'Deployment', 'db'));
  });

  it('uses compose defaults for an exec test and makes no probe for NONE or disable', async () => {
    const r = convert(
      await loadYaml(`
services:
  a: {image: x, healthcheck: {test: ["CMD", "true"]}}
  b: {image: x, healthcheck: {test: ["NONE"]}}
  c: {image: x, healthcheck: {disable: true}}
`),
    );
    expect(main(find(r, 'Deployment', 'a')).readinessProbe).toEqual({
      exec: { command: ['true'] },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
    expect(main(find(r, 'Deployment', 'a')).startupProbe).toBeUndefined();
    expect(main(find(r, 'Deployment', 'b')).readinessProbe).toBeUndefined();
    expect(main(find(r, 'Deployment', 'c')).livenessProbe).toBeUndefined();
  });
});

describe('dependency order', () => {
  it('waits on a Service port for service_started and service_healthy, and on the name of a port-less service', async () => {
    const r = convert(
      await loadYaml(`
services:
  db: {image: pg, expose: ["5432"], healthcheck: {test: ["CMD", "pg_isready"]}}
  cache: {image: redis, ports: ["6379:6379"]}
  worker: {image: w}
  app:
    image: app
    depends_on:
      db: {condition: service_healthy}
      cache: {condition: service_started}
      worker: {condition: service_started}
`),
    );
    const app = find(r, 'Deployment', 'app');
    validate(app);
    const init = pod(app).spec.initContainers ?? [];
    expect(init.map((c) => c.name)).toEqual(['wait-for-db', 'wait-for-cache', 'wait-for-worker']);
    expect(init[0]?.command?.[2]).toContain('nc -z -w 2 db 5432');
    expect(init[1]?.command?.[2]).toContain('nc -z -w 2 cache 6379');
    expect(init[2]?.command?.[2]).toContain('nslookup worker.$(POD_NAMESPACE).svc.cluster.local');
    expect(init[2]?.env?.[0]?.valueFrom?.fieldRef.fieldPath).toBe('metadata.namespace');
    // the port-less service is resolvable by its name through a headless Service
    const worker = find(r, 'Service', 'worker');
    validate(worker);
    expect(worker.spec).toMatchObject({ clusterIP: 'None' });
    expect(find(r, 'Service', 'db').spec).toMatchObject({
      ports: [{ name: 'tcp-5432', port: 5432, targetPort: 5432, protocol: 'TCP' }],
    });
  });
});

describe('services and ports', () => {
  it('keeps published ports inside the cluster by default and exposes them with --expose nodeport', async () => {
    const yaml = `services:\n  web: {image: nginx, ports: ["31080:80", "8443:443"]}\n`;
    const cluster = convert(await loadYaml(yaml));
    expect((find(cluster, 'Service', 'web').spec as { type?: string }).type).toBeUndefined();
    expect(cluster.findings.some((f) => f.subject === 'web' && f.reason.includes('--expose'))).toBe(true);
    const node = convert(await loadYaml(yaml), { expose: 'nodeport' });
    const svc = find(node, 'Service', 'web');
    validate(svc);
    expect(svc.spec).toMatchObject({
      type: 'NodePort',
      ports: [
        { port: 80, nodePort: 31080 },
        { port: 443, targetPort: 443 },
      ],
    });
    expect((svc.spec as { ports: { nodePort?: number }[] }).ports[1]?.nodePort).toBeUndefined();
  });

  it('renames services Kubernetes cannot name, and says so', async () => {
    const r = convert(await loadYaml(`services:\n  my_db: {image: x, expose: ["1"]}\n`));
    expect(find(r, 'Service', 'my-db')).toBeDefined();
    expect(r.findings.find((f) => f.subject === 'my_db' && f.attribute === 'name')?.reason).toContain(
      '"my-db"',
    );
  });
});

describe('container settings', () => {
  it('maps entrypoint, command, environment, resources and security', async () => {
    const r = convert(
      await loadYaml(`
services:
  app:
    image: app
    entrypoint: ["/bin/app"]
    command: ["--port", "$$(PORT)"]
    environment: {A: "1", REF: "$$(A)"}
    user: "1000:2000"
    read_only: true
    privileged: true
    cap_add: [CAP_NET_ADMIN]
    cap_drop: [ALL]
    mem_limit: 256m
    cpus: 0.5
    deploy:
      resources:
        reservations: {memory: 64m, cpus: "2"}
`),
    );
    const d = find(r, 'Deployment', 'app');
    validate(d);
    const c = main(d);
    expect(c.command).toEqual(['/bin/app']);
    expect(c.args).toEqual(['--port', '$$(PORT)']);
    expect(c.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'REF', value: '$$(A)' },
    ]);
    expect(c.resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '2', memory: '64Mi' },
    });
    expect(c.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 2000,
      readOnlyRootFilesystem: true,
      privileged: true,
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
    });
  });

  it('puts configs in ConfigMaps and secrets in Secrets, mounted at their targets, and references external ones', async () => {
    const project = await loadYaml(
      `
services:
  app:
    image: app
    configs: [{source: conf, target: /etc/app.conf, mode: 288}]
    secrets: [token, ext]
configs:
  conf: {file: ./app.conf}
secrets:
  token: {environment: TOKEN}
  ext: {external: true}
`,
      { 'app.conf': 'x = 1\n' },
    );
    const r = convert(project, { env: { TOKEN: 's3cret' } });
    const cm = find(r, 'ConfigMap', 'conf');
    validate(cm);
    expect(cm.data).toEqual({ conf: 'x = 1\n' });
    const sec = find(r, 'Secret', 'token');
    validate(sec);
    expect(sec.data).toEqual({ token: Buffer.from('s3cret').toString('base64') });
    expect(r.objects.some((o) => o.kind === 'Secret' && o.metadata.name === 'ext')).toBe(false);
    expect(r.findings.find((f) => f.subject === 'secrets.ext')?.reason).toContain('must exist');
    const c = main(find(r, 'Deployment', 'app'));
    expect(c.volumeMounts).toEqual([
      { name: 'cfg-conf', mountPath: '/etc/app.conf', subPath: 'conf', readOnly: true },
      { name: 'sec-token', mountPath: '/run/secrets/token', subPath: 'token', readOnly: true },
      { name: 'sec-ext', mountPath: '/run/secrets/ext', subPath: 'ext', readOnly: true },
    ]);
    expect(pod(find(r, 'Deployment', 'app')).spec.volumes?.[0]).toEqual({
      name: 'cfg-conf',
      configMap: { name: 'conf', items: [{ key: 'conf', path: 'conf', mode: 0o440 }] },
    });
  });
});

describe('unsupported attributes', () => {
  it('reports each with its reason and still writes valid objects', async () => {
    const r = convert(
      await loadYaml(`
services:
  built: {build: ., ports: ["8000:8000"]}
  host:
    image: x
    network_mode: host
    devices: ["/dev/fuse"]
    volumes: ["./data:/data"]
    x-cmp: {host_rootfs: true}
  a: {image: x, networks: [front]}
  b: {image: x, networks: [back]}
networks: {front: {}, back: {}}
`),
    );
    for (const o of r.objects) validate(o);
    const by = (subject: string, attribute: string) =>
      r.findings.find((f) => f.subject === subject && f.attribute.startsWith(attribute));
    expect(by('built', 'build')?.reason).toContain('registry');
    expect(main(find(r, 'Deployment', 'built')).image).toMatch(/-built$/);
    expect(by('host', 'network_mode')?.outcome).toBe('ignored');
    expect(by('host', 'devices')?.reason).toContain('device plugin');
    expect(by('host', 'x-cmp.host_rootfs')?.reason).toContain('no cluster node');
    expect(by('host', 'volumes: ')?.reason).toContain('emptyDir');
    expect(pod(find(r, 'Deployment', 'host')).spec.volumes).toEqual([{ name: 'bind-0', emptyDir: {} }]);
    expect(by('networks', 'back, ')?.reason).toContain('NetworkPolicies');
  });
});
