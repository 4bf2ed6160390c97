// Compose restart policies against what each workload kind allows: Deployments and StatefulSets
// always restart their pods; only Jobs stop after a run.
import type { Service } from '../../model/types.js';
import { type ConvertContext, report } from './context.js';

interface Restart {
  kind: 'no' | 'always' | 'on-failure';
  maxAttempts?: number;
}

export function restartOf(s: Service): Restart {
  const cond = s.deploy?.restart_policy?.condition;
  if (cond) {
    const max = s.deploy?.restart_policy?.max_attempts;
    const kind = cond === 'none' ? 'no' : cond === 'any' ? 'always' : 'on-failure';
    return { kind, ...(max !== undefined ? { maxAttempts: max } : {}) };
  }
  const r = s.restart ?? 'no';
  if (r === 'always' || r === 'unless-stopped') return { kind: 'always' };
  const m = /^on-failure(?::(\d+))?$/.exec(r);
  if (m) return { kind: 'on-failure', ...(m[1] ? { maxAttempts: Number(m[1]) } : {}) };
  return { kind: 'no' };
}

/** For a long-running workload: note when the policy was not "always". */
export function checkLongRunning(ctx: ConvertContext, service: string, s: Service): void {
  const r = restartOf(s);
  // compose's default ("no") is rarely a choice: only a policy the file sets is worth a note
  if (r.kind === 'always' || (s.restart === undefined && !s.deploy?.restart_policy?.condition)) return;
  const was = s.restart ?? `deploy.restart_policy.condition: ${s.deploy?.restart_policy?.condition ?? ''}`;
  report(
    ctx,
    service,
    `restart: ${was}`,
    'converted',
    'Deployments and StatefulSets always restart their pods (with back-off)',
  );
}

/** A Job's pod policy and retry count. */
export function jobRestart(s: Service): { restartPolicy: 'Never' | 'OnFailure'; backoffLimit: number } {
  const r = restartOf(s);
  if (r.kind === 'no') return { restartPolicy: 'Never', backoffLimit: 0 };
  return { restartPolicy: 'OnFailure', backoffLimit: r.maxAttempts ?? 6 };
}
