// A Service per service that listens, named as the compose service so the same names resolve.
import type { Service } from '../../model/types.js';
import { type ConvertContext, nameOf, report } from './context.js';
import { objectLabels, selectorLabels } from './names.js';
import { listenPorts } from './ports.js';
import type { K8sObject } from './types.js';

const NODE_PORTS = { min: 30000, max: 32767 };

export function service(ctx: ConvertContext, name: string, s: Service): K8sObject | undefined {
  const ports = listenPorts(s);
  const headless = ports.length === 0;
  if (headless && !ctx.headless.has(name)) return undefined;
  const published = ports.filter((p) => p.published !== undefined);
  const expose = published.length ? ctx.options.expose : 'clusterip';
  const type = expose === 'nodeport' ? 'NodePort' : expose === 'loadbalancer' ? 'LoadBalancer' : undefined;
  if (published.length && !type) {
    report(
      ctx,
      name,
      `ports: ${published.map((p) => `${p.published}:${p.port}`).join(', ')}`,
      'note',
      'the Service is ClusterIP (inside the cluster only): reach it with `kubectl port-forward`, an Ingress, or convert with --expose nodeport|loadbalancer',
    );
  }
  const spec: Record<string, unknown> = {
    ...(type ? { type } : {}),
    ...(headless ? { clusterIP: 'None' } : {}),
    selector: selectorLabels(ctx.project.name, name),
  };
  if (!headless) {
    spec.ports = ports.map((p) => {
      const nodePort =
        type === 'NodePort' &&
        p.published !== undefined &&
        p.published >= NODE_PORTS.min &&
        p.published <= NODE_PORTS.max
          ? p.published
          : undefined;
      if (type === 'NodePort' && p.published !== undefined && nodePort === undefined) {
        report(
          ctx,
          name,
          `ports: ${p.published}:${p.port}`,
          'note',
          `NodePorts are ${NODE_PORTS.min}-${NODE_PORTS.max}: the cluster picks one (see kubectl get service ${nameOf(ctx, name)})`,
        );
      }
      return {
        name: `${p.protocol.toLowerCase()}-${p.port}`,
        port: p.port,
        targetPort: p.port,
        protocol: p.protocol,
        ...(nodePort !== undefined ? { nodePort } : {}),
      };
    });
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: nameOf(ctx, name), labels: objectLabels(ctx.project.name, name) },
    spec,
  };
}
