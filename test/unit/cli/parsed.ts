// Parses a command line with the real command table and returns the chosen command's options and operands.
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program.js';

export async function parsed(args: string[]): Promise<{ opts: Record<string, unknown>; args: string[] }> {
  const program = buildProgram();
  let result = { opts: {} as Record<string, unknown>, args: [] as string[] };
  for (const c of [program, ...program.commands]) {
    c.exitOverride();
    c.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  }
  for (const c of program.commands) {
    c.action((...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      result = { opts: self.opts(), args: self.args };
    });
  }
  await program.parseAsync(args, { from: 'user' });
  return result;
}
