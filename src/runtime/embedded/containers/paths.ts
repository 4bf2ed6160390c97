// Where a container's files live. Persistent parts (metadata, upper/work dirs, logs, exit codes, /etc
// files) are under the state root; the bundle (config.json and the mounted rootfs) under the run root.
import { join } from 'node:path';
import { runRoot, stateRoot } from '../../../util/paths.js';

export const containersDir = (): string => join(stateRoot(), 'containers');
export const containerDir = (id: string): string => join(containersDir(), id);
export const metaPath = (id: string): string => join(containerDir(id), 'meta.json');
/** Written first at create, never changed (meta.ts). */
export const identityPath = (id: string): string => join(containerDir(id), 'identity.json');
/** A lock name, not a file: held by the command creating the container until its record is complete. */
export const createLockPath = (id: string): string => join(containerDir(id), 'create.lock');
export const upperDir = (id: string): string => join(containerDir(id), 'upper');
export const workDir = (id: string): string => join(containerDir(id), 'work');
export const logPath = (id: string): string => join(containerDir(id), 'ctr.log');
export const exitDir = (id: string): string => join(containerDir(id), 'exits');
export const exitFile = (id: string): string => join(exitDir(id), id);
export const etcFile = (id: string, name: 'hosts' | 'hostname' | 'resolv.conf'): string =>
  join(containerDir(id), name);

export const bundleDir = (id: string): string => join(runRoot(), 'containers', id);
export const rootfsDir = (id: string): string => join(bundleDir(id), 'rootfs');
export const pidFile = (id: string): string => join(bundleDir(id), 'pid');
export const conmonPidFile = (id: string): string => join(bundleDir(id), 'conmon.pid');
/** runc's own state (`runc --root`). */
export const runcRoot = (): string => join(runRoot(), 'runc');
/** conmon's attach/notify socket links; kept short because unix socket paths are limited to 108 bytes. */
export const socketDir = (): string => join(runRoot(), 'sock');
