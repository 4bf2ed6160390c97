// `cmp exec SERVICE CMD...`: runs a command in a running container; the exit code is the command's.
import type { Project } from '../../model/types.js';
import type { ExecRequest, Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { serviceContainer, stdio, type CommandIO } from './common.js';
import { countFlag, envFlag, stringList } from './flags/values.js';
import { open } from './open.js';

export interface ExecFlags {
  detach: boolean;
  /** A TTY is used only when asked for (the default) and stdin is a terminal. */
  tty: boolean;
  user?: string;
  workdir?: string;
  env: Record<string, string>;
  index: number;
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
    index: countFlag(o.index, '--index') ?? 1,
    privileged: o.privileged === true,
  };
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
  const c = await serviceContainer(runtime, project, service, flags.index, { running: true });
  return runtime.exec(c.id, execRequest(command, flags));
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const isTty = process.stdin.isTTY === true;
  const flags = readExecFlags(o, isTty, process.env);
  const { project, runtime } = await open(g, args.slice(0, 1), { fromLabels: true });
  return execCommand(runtime, project, flags, args, stdio());
}
