import type { Service } from '../../model/types.js';

/** `scale` wins over deploy.replicas, as in compose; 1 when neither is set. */
export function replicasOf(s: Service): number {
  return s.scale ?? s.deploy?.replicas ?? 1;
}
