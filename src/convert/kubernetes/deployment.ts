import type { Service } from '../../model/types.js';
import { type ConvertContext, nameOf } from './context.js';
import { objectLabels, selectorLabels } from './names.js';
import { podTemplate } from './pod.js';
import { replicasOf } from './replicas.js';
import type { K8sObject } from './types.js';

export function deployment(ctx: ConvertContext, service: string, s: Service): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: nameOf(ctx, service), labels: objectLabels(ctx.project.name, service) },
    spec: {
      replicas: replicasOf(s),
      selector: { matchLabels: selectorLabels(ctx.project.name, service) },
      template: podTemplate(ctx, service, s),
    },
  };
}
