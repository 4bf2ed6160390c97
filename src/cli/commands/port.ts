// `cmp port SERVICE PRIVATE_PORT`: where a container port is published on the host.
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import { formatPortBinding } from '../format/ports.js';
import type { GlobalOptions } from '../globals.js';
import { serviceContainer, stdio, type CommandIO } from './common.js';
import { countFlag } from './flags/values.js';
import { open } from './open.js';

export interface PortFlags {
  protocol: 'tcp' | 'udp' | 'sctp';
  index: number;
}

export function readPortFlags(o: Record<string, unknown>): PortFlags {
  const protocol = o.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp')
    throw new UsageError(`--protocol: expected tcp or udp, got "${String(protocol)}"`);
  return { protocol, index: countFlag(o.index, '--index') ?? 1 };
}

export async function portCommand(
  runtime: Runtime,
  project: Project,
  flags: PortFlags,
  args: string[],
  io: CommandIO,
): Promise<number> {
  const [service, privatePort] = args;
  if (!service || !privatePort)
    throw new UsageError('port needs a service and a port', { hint: 'cmp port SERVICE PRIVATE_PORT' });
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(privatePort);
  if (!m) throw new UsageError(`port: "${privatePort}" is not a port number`);
  const protocol = (m[2] as PortFlags['protocol'] | undefined) ?? flags.protocol;
  const c = await serviceContainer(runtime, project, service, flags.index);
  const found = c.ports.find((p) => p.containerPort === Number(m[1]) && p.protocol === protocol);
  if (!found) throw new RuntimeError(`no port ${m[1]}/${protocol} for container ${c.name}`);
  io.out(`${formatPortBinding(found)}\n`);
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readPortFlags(o);
  const { project, runtime } = await open(g, args.slice(0, 1), { fromLabels: true });
  return portCommand(runtime, project, flags, args, stdio());
}
