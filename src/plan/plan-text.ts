// The printed plan: one line per step in execution order, stable across runs, for `up --dry-run` and as
// the oracle of the plan tests.
import type { ContainerAction, DownPlan, StopPlan, UpPlan } from './types.js';

function actionLine(a: ContainerAction): string {
  switch (a.kind) {
    case 'create':
      return `container ${a.name}: create and start`;
    case 'recreate':
      return `container ${a.name}: recreate (${a.reasons.join(', ')})${a.stopFirst ? '; stopped first (restart: true on a recreated dependency)' : ''}`;
    case 'start':
      return `container ${a.name}: start (${a.current.status})`;
    case 'keep':
      return `container ${a.name}: up to date (${a.current.status})`;
    case 'restart':
      return `container ${a.name}: restart (${a.reason})`;
    case 'remove':
      return `container ${a.name}: stop and remove (${a.reason})`;
  }
}

export function formatUpPlan(plan: UpPlan): string {
  const lines: string[] = [];
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const n of plan.networks)
    lines.push(`network ${n.name}: ${n.action === 'external' ? 'external, found' : n.action}`);
  for (const v of plan.volumes)
    lines.push(`volume ${v.name}: ${v.action === 'external' ? 'external, found' : v.action}`);
  for (const i of plan.images) {
    const status = i.buildOnly
      ? i.present
        ? 'present'
        : 'missing (build: is not supported)'
      : i.policy === 'always'
        ? 'pull (pull_policy always)'
        : i.present
          ? 'present'
          : i.policy === 'never'
            ? 'missing (pull_policy never)'
            : 'pull';
    lines.push(`image ${i.ref} (${i.service}): ${status}`);
  }
  for (const s of plan.services) for (const a of s.actions) lines.push(actionLine(a));
  if (plan.removeOrphans)
    for (const o of plan.orphans) lines.push(`container ${o.name}: stop and remove (orphan)`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function formatDownPlan(plan: DownPlan): string {
  const lines: string[] = [];
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const r of [...plan.containers, ...plan.orphans]) {
    const orphan = plan.orphans.includes(r) ? ' (orphan)' : '';
    lines.push(`container ${r.container.name}: ${r.stop ? 'stop and remove' : 'remove'}${orphan}`);
  }
  for (const n of plan.networks) lines.push(`network ${n}: remove`);
  for (const v of plan.volumes) lines.push(`volume ${v}: remove`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function formatStopPlan(plan: StopPlan): string {
  return plan.containers.map((r) => `container ${r.container.name}: stop\n`).join('');
}
