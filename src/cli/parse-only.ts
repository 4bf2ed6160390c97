// Parses a command line the way `cmp` would, without running anything: used to check that every
// `cmp ...` example in the docs is still accepted as the commands change.
import { Command, CommanderError } from 'commander';
import { buildProgram } from './program.js';

export type ParseResult = { ok: true; command?: string } | { ok: false; error: string };

function quiet(cmd: Command, sink: (s: string) => void): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeOut: sink, writeErr: sink });
  for (const sub of cmd.commands) quiet(sub, sink);
}

export async function parseOnly(args: readonly string[]): Promise<ParseResult> {
  const program = buildProgram();
  let ran: string | undefined;
  for (const sub of program.commands) sub.action(() => void (ran = sub.name()));
  let output = '';
  quiet(program, (s) => void (output += s));
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ran === undefined ? { ok: true } : { ok: true, command: ran };
  } catch (e) {
    if (e instanceof CommanderError && e.exitCode === 0) return { ok: true };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: output.trim() || message };
  }
}
