// compose's `restart` and `deploy.restart_policy` as the engine's RestartPolicy; deploy wins when both are set,
// as in docker compose.
import type { Service } from '../../model/types.js';

export interface EngineRestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

export function restartPolicy(service: Service): EngineRestartPolicy | undefined {
  const deploy = service.deploy?.restart_policy;
  if (deploy) {
    switch (deploy.condition) {
      case 'none':
        return { Name: 'no' };
      case 'on-failure':
        return { Name: 'on-failure', MaximumRetryCount: deploy.max_attempts ?? 0 };
      case 'any':
      case undefined:
        // The engine has no bounded "always"; max_attempts only exists for on-failure.
        return { Name: 'always' };
    }
  }
  const r = service.restart?.trim();
  if (!r) return undefined;
  if (r === 'no' || r === 'always' || r === 'unless-stopped') return { Name: r };
  const m = /^on-failure(?::(\d+))?$/.exec(r);
  if (m) return { Name: 'on-failure', MaximumRetryCount: m[1] ? Number(m[1]) : 0 };
  return { Name: 'no' };
}
