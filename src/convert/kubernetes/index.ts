// `cmp convert --to kubernetes`: a Project in, Kubernetes objects and findings out. Pure apart from
// the file reads the options provide, so the same project always gives the same manifests.
//
// Which workload a service becomes:
//   - a Job when another service waits on it with service_completed_successfully;
//   - a StatefulSet when it mounts a named volume (see statefulset.ts for why);
//   - a Deployment otherwise.
import type { Project } from '../../model/types.js';
import { configMap } from './configmap.js';
import { type ConvertContext, report } from './context.js';
import { deployment } from './deployment.js';
import { type FileKind, fileSource, reportMissing } from './files.js';
import { job } from './job.js';
import { dnsLabel } from './names.js';
import { listenPorts } from './ports.js';
import { pvc } from './pvc.js';
import { replicasOf } from './replicas.js';
import { checkLongRunning } from './restart.js';
import { secret } from './secret.js';
import { service } from './service.js';
import { statefulSet } from './statefulset.js';
import type { ConvertOptions, ConvertResult, K8sObject, Kind } from './types.js';
import { checkNetworks, checkService } from './unsupported.js';
import { namedVolumes } from './volumes.js';

export type { ConvertOptions, ConvertResult, Finding, K8sObject } from './types.js';

/** Apply order: what pods mount and resolve first, the workloads last. */
const KIND_ORDER: Kind[] = [
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'Job',
  'StatefulSet',
  'Deployment',
];

function assignNames(ctx: ConvertContext): void {
  const taken = new Set<string>();
  for (const name of Object.keys(ctx.project.services).sort()) {
    let k8s = dnsLabel(name);
    for (let n = 2; taken.has(k8s); n++) k8s = dnsLabel(`${dnsLabel(name)}-${n}`);
    taken.add(k8s);
    ctx.names.set(name, k8s);
    if (k8s !== name) {
      report(
        ctx,
        name,
        'name',
        'converted',
        `Kubernetes names are lower-case letters, digits and "-": named "${k8s}", so clients must use that name`,
      );
    }
  }
}

function classify(ctx: ConvertContext): void {
  const services = ctx.project.services;
  for (const s of Object.values(services)) {
    for (const [dep, d] of Object.entries(s.depends_on)) {
      if (services[dep] && d.condition === 'service_completed_successfully') ctx.jobs.add(dep);
    }
  }
  // In compose every service resolves by name, declared ports or not; a headless Service gives a
  // port-less service the same: its name resolves to its ready pods, on any port.
  for (const [name, s] of Object.entries(services)) {
    if (!ctx.jobs.has(name) && listenPorts(s).length === 0) ctx.headless.add(name);
  }
}

function checkSharedVolumes(ctx: ConvertContext): void {
  const users = new Map<string, string[]>();
  for (const [name, s] of Object.entries(ctx.project.services)) {
    for (const key of namedVolumes(s)) users.set(key, [...(users.get(key) ?? []), name]);
    if (!ctx.jobs.has(name) && replicasOf(s) > 1 && namedVolumes(s).length) {
      report(
        ctx,
        name,
        'replicas',
        'note',
        'all replicas share its ReadWriteOnce claims: they must run on one node, or use a ReadWriteMany storage class',
      );
    }
  }
  for (const [key, names] of [...users].sort(([a], [b]) => a.localeCompare(b))) {
    if (names.length > 1) {
      report(
        ctx,
        `volumes.${key}`,
        'shared',
        'note',
        `mounted by ${names.sort().join(', ')}: a ReadWriteOnce claim cannot be mounted by pods on two nodes; use a ReadWriteMany storage class or keep them on one node`,
      );
    }
  }
}

function fileObjects(ctx: ConvertContext, kind: FileKind): K8sObject[] {
  const used = new Set<string>();
  for (const s of Object.values(ctx.project.services)) for (const ref of s[kind] ?? []) used.add(ref.source);
  const out: K8sObject[] = [];
  for (const key of [...used].sort()) {
    const src = fileSource(ctx, kind, key);
    reportMissing(ctx, kind, key, src);
    if (ctx.project[kind][key]?.external || src.content === undefined) continue;
    const withContent = { ...src, content: src.content };
    out.push(kind === 'configs' ? configMap(ctx, withContent) : secret(ctx, withContent));
  }
  return out;
}

export function convertToKubernetes(project: Project, options: ConvertOptions): ConvertResult {
  const ctx: ConvertContext = {
    project,
    options,
    findings: [],
    names: new Map(),
    jobs: new Set(),
    headless: new Set(),
  };
  assignNames(ctx);
  classify(ctx);
  checkNetworks(ctx);
  checkSharedVolumes(ctx);

  const objects: K8sObject[] = [];
  const volumeKeys = new Set<string>();
  for (const name of Object.keys(project.services).sort()) {
    const s = project.services[name];
    if (!s) continue;
    checkService(ctx, name, s);
    const volumes = namedVolumes(s);
    volumes.forEach((v) => volumeKeys.add(v));
    if (ctx.jobs.has(name)) {
      objects.push(job(ctx, name, s));
      continue;
    }
    checkLongRunning(ctx, name, s);
    const hasService = listenPorts(s).length > 0 || ctx.headless.has(name);
    objects.push(volumes.length ? statefulSet(ctx, name, s, hasService) : deployment(ctx, name, s));
  }
  for (const name of Object.keys(project.services).sort()) {
    const svc = service(ctx, name, project.services[name] as (typeof project.services)[string]);
    if (svc) objects.push(svc);
  }
  for (const key of [...volumeKeys].sort()) {
    const claim = pvc(ctx, key);
    if (claim) objects.push(claim);
  }
  objects.push(...fileObjects(ctx, 'configs'), ...fileObjects(ctx, 'secrets'));

  objects.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  return { objects, findings: ctx.findings };
}
