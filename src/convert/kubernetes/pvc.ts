// A PersistentVolumeClaim per named volume. Compose volumes have no size: 1Gi is asked for, on the
// cluster's default storage class, ReadWriteOnce (what every storage class offers).
import { type ConvertContext, report } from './context.js';
import { objectLabels } from './names.js';
import type { K8sObject } from './types.js';
import { claimName } from './volumes.js';

export const DEFAULT_SIZE = '1Gi';

export function pvc(ctx: ConvertContext, key: string): K8sObject | undefined {
  const v = ctx.project.volumes[key];
  if (v?.external) {
    report(
      ctx,
      `volumes.${key}`,
      'external',
      'note',
      `not created: the PersistentVolumeClaim "${claimName(ctx, key)}" must exist in the namespace`,
    );
    return undefined;
  }
  if (v?.driver || (v?.driver_opts && Object.keys(v.driver_opts).length)) {
    report(
      ctx,
      `volumes.${key}`,
      'driver',
      'ignored',
      'volume drivers map to storage classes: set spec.storageClassName by hand',
    );
  }
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(ctx, key), labels: objectLabels(ctx.project.name) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: DEFAULT_SIZE } } },
  };
}
