// A service with named volumes. A StatefulSet replaces a pod only after the old one is gone, so a
// ReadWriteOnce claim is never wanted by two pods during a rollout, as it would be with a Deployment.
// The claims are standalone PersistentVolumeClaims (pvc.ts), not volumeClaimTemplates: a compose
// volume is one volume shared by all replicas, and templates would give each replica its own.
import type { Service } from '../../model/types.js';
import { type ConvertContext, nameOf } from './context.js';
import { objectLabels, selectorLabels } from './names.js';
import { podTemplate } from './pod.js';
import { replicasOf } from './replicas.js';
import type { K8sObject } from './types.js';

export function statefulSet(
  ctx: ConvertContext,
  service: string,
  s: Service,
  hasService: boolean,
): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: nameOf(ctx, service), labels: objectLabels(ctx.project.name, service) },
    spec: {
      replicas: replicasOf(s),
      ...(hasService ? { serviceName: nameOf(ctx, service) } : {}),
      selector: { matchLabels: selectorLabels(ctx.project.name, service) },
      template: podTemplate(ctx, service, s),
    },
  };
}
