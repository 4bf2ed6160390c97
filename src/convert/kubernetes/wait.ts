// depends_on as init containers, so a pod starts only once what it depends on is there. They need
// nothing from the API server (no RBAC): they wait on what any pod can see, the cluster network.
//
// - service_started / service_healthy: wait until the dependency's Service accepts a TCP connection
//   (`nc -z`). A ClusterIP Service only forwards to ready pods, so with a readiness probe (from the
//   healthcheck) this waits for healthy. A dependency without ports has a headless Service, whose
//   DNS name only resolves while a pod is ready: the init container waits on the lookup.
// - service_completed_successfully: the dependency is a Job. Seeing a Job's completion needs the
//   API (RBAC), so no init container waits on it: the converter notes the `kubectl wait` to run
//   between applying the Jobs and the rest (docs/scale-out.md).
import type { Service } from '../../model/types.js';
import { type ConvertContext, nameOf, report } from './context.js';
import { dnsLabel } from './names.js';
import { listenPorts } from './ports.js';
import type { Container } from './types.js';

/** The image the wait loops run in: busybox has `nc` and `nslookup`. */
export const WAIT_IMAGE = 'busybox:1.36';

function loop(check: string, what: string): string {
  return `until ${check}; do echo "waiting for ${what}"; sleep 2; done`;
}

export function waitContainers(ctx: ConvertContext, service: string, s: Service): Container[] {
  const out: Container[] = [];
  for (const [dep, d] of Object.entries(s.depends_on)) {
    if (!ctx.project.services[dep]) continue; // not selected, or switched off by a profile
    const target = nameOf(ctx, dep);
    if (d.condition === 'service_completed_successfully' || ctx.jobs.has(dep)) {
      report(
        ctx,
        service,
        `depends_on: ${dep}`,
        'note',
        `waits for the Job "${target}": apply the Jobs first, then \`kubectl wait --for=condition=complete job/${target}\` before the rest`,
      );
      continue;
    }
    const ports = listenPorts(ctx.project.services[dep]);
    const port = ports.find((p) => p.protocol === 'TCP');
    const script = port
      ? loop(`nc -z -w 2 ${target} ${port.port}`, `${target}:${port.port}`)
      : loop(`nslookup ${target}.$(POD_NAMESPACE).svc.cluster.local >/dev/null 2>&1`, target);
    out.push({
      name: dnsLabel(`wait-for-${target}`),
      image: WAIT_IMAGE,
      command: ['sh', '-c', script],
      ...(port
        ? {}
        : { env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] }),
    });
  }
  return out;
}
