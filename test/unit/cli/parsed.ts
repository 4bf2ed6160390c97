// Parses a command line with the real command table and returns the chosen command's options and operands.
import type { Command } from 'commander';
import { expect } from 'vitest';
import { checkUpConflicts, readUpFlags, type UpFlags } from '../../../src/cli/commands/flags/up-flags.js';
import { buildProgram } from '../../../src/cli/program.js';
import { UsageError } from '../../../src/util/errors.js';

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

/** `up`'s flags as the command reads them from this command line. */
export async function upFlags(...args: string[]): Promise<UpFlags> {
  return readUpFlags((await parsed(['up', ...args])).opts);
}

/** The one-line usage error `up` gives for this combination of flags; throws if there is none. */
export async function upConflict(...args: string[]): Promise<string> {
  try {
    checkUpConflicts(await upFlags(...args));
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const text = (e as UsageError).format();
    expect(text).not.toContain('\n');
    return text;
  }
  throw new Error(`no conflict for ${args.join(' ')}`);
}
