import type { Service } from '../../model/types.js';
import type { ModelPath } from '../types.js';

/** Where the restart policy was written: the restart key, else deploy.restart_policy. */
export function restartPath(svc: Service, name: string): ModelPath {
  return svc.restart !== undefined
    ? ['services', name, 'restart']
    : ['services', name, 'deploy', 'restart_policy'];
}
