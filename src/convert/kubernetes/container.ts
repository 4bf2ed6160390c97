// The service's own container: image, command, environment, ports, probes, resources, security.
import type { Service } from '../../model/types.js';
import { HOST_ROOTFS_IMAGE, isHostRootfs } from '../../model/extensions.js';
import { type ConvertContext, nameOf, report } from './context.js';
import { escapeExpansion } from './names.js';
import { listenPorts } from './ports.js';
import { probesFor } from './probes.js';
import { resourcesFor } from './resources.js';
import type { Container, EnvVar, VolumeMount } from './types.js';

function imageFor(ctx: ConvertContext, service: string, s: Service): string {
  if (isHostRootfs(s)) return HOST_ROOTFS_IMAGE;
  if (s.image) return s.image;
  return `${ctx.project.name}-${service}`;
}

function envFor(ctx: ConvertContext, service: string, s: Service): EnvVar[] {
  const out: EnvVar[] = [];
  for (const [name, value] of Object.entries(s.environment)) {
    if (value === null) {
      report(
        ctx,
        service,
        `environment: ${name}`,
        'ignored',
        'no value: compose passed it through from the host, which a cluster has no part in',
      );
      continue;
    }
    out.push({ name, value: escapeExpansion(value) });
  }
  return out;
}

/** "1000", "1000:1000"; names need the image's /etc/passwd, which the pod spec cannot name. */
function userFor(
  ctx: ConvertContext,
  service: string,
  user: string | undefined,
): Container['securityContext'] {
  if (user === undefined) return {};
  const [u = '', g] = user.split(':');
  if (/^\d+$/.test(u) && (g === undefined || /^\d+$/.test(g))) {
    return { runAsUser: Number(u), ...(g !== undefined ? { runAsGroup: Number(g) } : {}) };
  }
  report(ctx, service, `user: ${user}`, 'ignored', 'runAsUser takes a numeric id only: use the uid');
  return {};
}

const capName = (c: string): string => c.replace(/^CAP_/i, '').toUpperCase();

function securityFor(ctx: ConvertContext, service: string, s: Service): Container['securityContext'] {
  const sc: NonNullable<Container['securityContext']> = { ...userFor(ctx, service, s.user) };
  if (s.read_only) sc.readOnlyRootFilesystem = true;
  if (s.privileged) sc.privileged = true;
  const add = (s.cap_add ?? []).map(capName);
  const drop = (s.cap_drop ?? []).map(capName);
  if (add.length || drop.length) {
    sc.capabilities = { ...(add.length ? { add } : {}), ...(drop.length ? { drop } : {}) };
  }
  return Object.keys(sc).length ? sc : undefined;
}

export function mainContainer(
  ctx: ConvertContext,
  service: string,
  s: Service,
  mounts: VolumeMount[],
): Container {
  const c: Container = { name: nameOf(ctx, service), image: imageFor(ctx, service, s) };
  // compose's entrypoint is the image's ENTRYPOINT (Kubernetes `command`), its command the CMD (`args`)
  if (s.entrypoint && s.entrypoint.length) c.command = s.entrypoint.map(escapeExpansion);
  if (s.command && s.command.length) c.args = s.command.map(escapeExpansion);
  if (s.working_dir) c.workingDir = s.working_dir;
  const env = envFor(ctx, service, s);
  if (env.length) c.env = env;
  const ports = listenPorts(s);
  if (ports.length) c.ports = ports.map((p) => ({ containerPort: p.port, protocol: p.protocol }));
  const resources = resourcesFor(s);
  if (resources) c.resources = resources;
  if (mounts.length) c.volumeMounts = mounts;
  Object.assign(c, probesFor(s.healthcheck));
  const sc = securityFor(ctx, service, s);
  if (sc) c.securityContext = sc;
  if (s.tty) c.tty = true;
  if (s.stdin_open) c.stdin = true;
  return c;
}
