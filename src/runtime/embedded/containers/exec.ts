// `exec`: a new process in a running container, with the container's namespaces, user, env and cwd
// unless the request overrides them.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import type { ExecRequest } from '../../types.js';
import { grantableCaps } from './defaults.js';
import type { ContainerMeta } from './meta.js';
import type { OciProcess } from './oci-types.js';
import { bundleDir, rootfsDir } from './paths.js';
import { runcExec } from './runc.js';
import { resolveUser } from './user.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function execIn(meta: ContainerMeta, req: ExecRequest, capture: boolean): Promise<ExecResult> {
  if (req.command.length === 0) throw new RuntimeError(`exec in ${meta.name}: no command`);
  const base = meta.spec.process;
  const env = new Map(base.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  for (const [k, v] of Object.entries(req.env ?? {})) env.set(k, v);
  let user = base.user;
  let capabilities = base.capabilities;
  if (req.user) {
    const r = await resolveUser(meta.hostRootfs ? '/' : rootfsDir(meta.id), req.user, `exec in ${meta.name}`);
    user = { uid: r.uid, gid: r.gid, additionalGids: r.additionalGids ?? [] };
    const granted = r.uid === 0 ? capabilities.bounding : [];
    capabilities = { ...capabilities, effective: granted, permitted: granted };
  }
  if (req.privileged) {
    const all = grantableCaps();
    capabilities = { bounding: all, effective: all, permitted: all, inheritable: [], ambient: [] };
  }
  const proc: OciProcess = {
    terminal: req.tty,
    user,
    args: req.command,
    env: [...env].map(([k, v]) => `${k}=${v}`),
    cwd: req.workingDir ?? base.cwd,
    capabilities,
    noNewPrivileges: base.noNewPrivileges,
    ...(base.rlimits ? { rlimits: base.rlimits } : {}),
  };
  const file = join(bundleDir(meta.id), `exec-${randomBytes(6).toString('hex')}.json`);
  await writeFile(file, JSON.stringify(proc));
  try {
    return await runcExec(meta.id, file, { tty: req.tty, detach: req.detach === true, capture });
  } finally {
    await rm(file, { force: true });
  }
}
