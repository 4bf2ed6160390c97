// Which projects `cmp system boot` brings back at host start-up: those with a container whose restart
// policy wants it running after a reboot (`always`, or `unless-stopped` not stopped by the user), as the
// Docker daemon does at its start. The project's supervisor then starts them in dependency order.
import { LABEL } from '../types.js';
import { resolveRestartPolicy } from '../../supervise/restart-policy.js';
import { listMeta, type ContainerMeta } from './containers/meta.js';

function comesBack(m: ContainerMeta): boolean {
  if (!m.service) return false;
  const { mode } = resolveRestartPolicy(m.service);
  return mode === 'always' || (mode === 'unless-stopped' && m.stoppedByUser !== true);
}

export async function projectsToBoot(): Promise<string[]> {
  const projects = new Set<string>();
  for (const m of await listMeta()) {
    const p = m.labels[LABEL.project];
    if (p && comesBack(m)) projects.add(p);
  }
  return [...projects].sort();
}
