// `cmp exec SERVICE CMD...`: runs a command in a running container; the exit code is the command's.
import type { Project } from '../../model/types.js';
import { containerNumber } from '../../plan/plan-containers.js';
import type { ContainerState, ExecRequest, Runtime } from '../../runtime/types.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { isOneoff, selectContainers, stdio, type CommandIO } from './common.js';
import { countFlag, envFlag, stringList } from './flags/values.js';
import { open } from './open.js';

export interface ExecFlags {
  detach: boolean;
  /** A TTY is used only when asked for (the default) and stdin is a terminal. */
  tty: boolean;
  user?: string;
  workdir?: string;
  env: Record<string, string>;
  /** `--index N`; without it the lowest-numbered running container, one-offs last, as compose. */
  index?: number;
  privileged: boolean;
}

export function readExecFlags(
  o: Record<string, unknown>,
  stdinIsTty: boolean,
  env: Record<string, string | undefined>,
): ExecFlags {
  const f: ExecFlags = {
    detach: o.detach === true,
    tty: o.TTY !== false && stdinIsTty && o.detach !== true,
    env: envFlag(stringList(o.env), env),
    privileged: o.privileged === true,
  };
  const index = countFlag(o.index, '--index');
  if (index !== undefined) f.index = index;
  if (typeof o.user === 'string') f.user = o.user;
  if (typeof o.workdir === 'string') f.workdir = o.workdir;
  return f;
}

export function execRequest(command: string[], f: ExecFlags): ExecRequest {
  const req: ExecRequest = {
    command,
    tty: f.tty,
    interactive: !f.detach,
    detach: f.detach,
    privileged: f.privileged,
  };
  if (f.user) req.user = f.user;
  if (f.workdir) req.workingDir = f.workdir;
  if (Object.keys(f.env).length > 0) req.env = f.env;
  return req;
}

export async function execCommand(
  runtime: Runtime,
  project: Project,
  flags: ExecFlags,
  args: string[],
  _io: CommandIO,
): Promise<number> {
  const [service, ...command] = args;
  if (!service || command.length === 0)
    throw new UsageError('exec needs a service and a command', {
      hint: 'cmp exec SERVICE COMMAND [ARGS...]',
    });
  const c = await execTarget(runtime, project, service, flags.index);
  return runtime.exec(c.id, execRequest(command, flags));
}

/**
 * Compose's choice: a running container of the service, one-off (`run`) containers included and counted
 * as number 1 (compose labels them so), replicas before one-offs, lowest number first.
 */
async function execTarget(
  runtime: Runtime,
  project: Project,
  service: string,
  index: number | undefined,
): Promise<ContainerState> {
  const numberOf = (c: ContainerState): number => (isOneoff(c) ? 1 : containerNumber(c));
  const [c] = (
    await selectContainers(runtime, project, { services: [service], all: false, oneoff: 'include' })
  )
    .filter((x) => x.status === 'running' && (index === undefined || numberOf(x) === index))
    .sort((a, b) => Number(isOneoff(a)) - Number(isOneoff(b)) || numberOf(a) - numberOf(b));
  if (c) return c;
  throw new RuntimeError(
    index === undefined
      ? `service "${service}" is not running`
      : `service "${service}" is not running container #${index}`,
  );
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const isTty = process.stdin.isTTY === true;
  const flags = readExecFlags(o, isTty, process.env);
  const { project, runtime } = await open(g, args.slice(0, 1), { fromLabels: true });
  return execCommand(runtime, project, flags, args, stdio());
}
