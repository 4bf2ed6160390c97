// Opening what a command needs: the project and runtime (context.ts), and for commands that change state,
// a session (progress on stderr, Ctrl-C). Imported lazily so `cmp --help` loads none of it.
import type { CommandContext } from '../context.js';
import type { GlobalOptions } from '../globals.js';
import type { Session } from '../session.js';
import { stdio, type CommandIO } from './common.js';

export async function open(
  globals: GlobalOptions,
  services: string[] = [],
  opts: { prepare?: boolean; fromLabels?: boolean } = {},
): Promise<CommandContext> {
  const { openProject } = await import('../context.js');
  return openProject(globals, services, opts);
}

/** Runs `fn` with progress and Ctrl-C handling; the session is closed however `fn` ends. */
export async function withSession<T>(
  globals: GlobalOptions,
  fn: (io: CommandIO, session: Session) => Promise<T>,
): Promise<T> {
  const { openSession } = await import('../session.js');
  const session = await openSession(globals);
  try {
    const io = stdio({
      out: session.out,
      err: session.err,
      sink: session.sink,
      signal: session.signal,
      endProgress: session.endProgress,
      onForce: session.onForce,
    });
    return await fn(io, session);
  } finally {
    await session.close();
  }
}
