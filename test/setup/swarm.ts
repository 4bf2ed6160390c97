// A single-node swarm for the deploy tests: the engine from ensureDockerd(), put into swarm mode only if it
// was not in one already, and taken back out by leaveSwarm() only in that case, so the engine is left as found.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureDockerd, testDocker } from './dockerd.js';

const run = promisify(execFile);
let initialisedHere = false;
let gwbridgeBefore = false;

async function swarmState(): Promise<string> {
  const info = (await testDocker().info()) as { Swarm?: { LocalNodeState?: string } };
  return info.Swarm?.LocalNodeState ?? 'inactive';
}

export async function ensureSwarm(): Promise<void> {
  await ensureDockerd();
  if ((await swarmState()) === 'active') return;
  gwbridgeBefore = (await testDocker().listNetworks()).some((n) => n.Name === 'docker_gwbridge');
  await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  initialisedHere = true;
}

export async function leaveSwarm(): Promise<void> {
  if (!initialisedHere) return;
  initialisedHere = false;
  await run('docker', ['swarm', 'leave', '--force']);
  // `swarm init` made this bridge and `swarm leave` keeps it; it goes too, or the host is not as found
  if (gwbridgeBefore) return;
  await testDocker()
    .getNetwork('docker_gwbridge')
    .remove()
    .catch(() => undefined);
}
