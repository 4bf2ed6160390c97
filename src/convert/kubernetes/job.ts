// A one-shot service that others wait on with service_completed_successfully.
import type { Service } from '../../model/types.js';
import { type ConvertContext, nameOf, report } from './context.js';
import { objectLabels } from './names.js';
import { podTemplate } from './pod.js';
import { replicasOf } from './replicas.js';
import { jobRestart } from './restart.js';
import type { K8sObject } from './types.js';

export function job(ctx: ConvertContext, service: string, s: Service): K8sObject {
  const { restartPolicy, backoffLimit } = jobRestart(s);
  if (replicasOf(s) > 1) report(ctx, service, 'scale', 'ignored', 'a Job runs to one completion');
  if (s.restart === 'always' || s.restart === 'unless-stopped') {
    report(
      ctx,
      service,
      `restart: ${s.restart}`,
      'converted',
      'others wait for it to complete, so it runs as a Job that is not restarted after success',
    );
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: nameOf(ctx, service), labels: objectLabels(ctx.project.name, service) },
    spec: { backoffLimit, template: podTemplate(ctx, service, s, restartPolicy) },
  };
}
