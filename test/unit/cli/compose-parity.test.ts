// Every command and flag of `docker compose --help` v2.26 (test/fixtures/compose-cli) is either one cmp
// has or one it refuses in one line with a reason and an alternative; and the global options work after
// the command too, as compose's persistent flags do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { REFUSED_COMMANDS, refusalOf } from '../../../src/cli/compose-parity.js';
import { COMMAND_NAMES, COMPOSE_ONLY_COMMANDS } from '../../../src/cli/command-names.js';
import { runCli } from '../../../src/cli/program.js';
import { isCmpError } from '../../../src/util/errors.js';
import { parsed } from './parsed.js';

interface Flag {
  long: string;
  short?: string;
  value?: string;
}
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/compose-cli/compose-cli-2.26.json'), 'utf8'),
) as { global: Flag[]; commands: Record<string, Flag[]> };

const program = buildProgram();
const commandOf = (name: string): Command | undefined => program.commands.find((c) => c.name() === name);
/** An option cmp has for real: visible in help, or hidden but not a refusal. */
const hasOption = (cmd: Command, long: string): boolean =>
  cmd.options.some((o) => o.long === long) && refusalOf(cmd.name(), long) === undefined;

/** The one-line error a command line ends with. */
async function refusal(args: string[]): Promise<string> {
  try {
    await parsed(args);
  } catch (e) {
    if (!isCmpError(e)) throw e;
    const text = e.format();
    expect(text).not.toContain('\n');
    return text;
  }
  throw new Error(`${args.join(' ')} was accepted`);
}

describe('docker compose v2.26 commands', () => {
  it.each(Object.keys(fixture.commands))('%s is a cmp command or refused with a reason', (name) => {
    if (commandOf(name)) {
      expect(COMMAND_NAMES.has(name)).toBe(true);
      return;
    }
    const r = REFUSED_COMMANDS[name];
    expect(r, `${name}: neither a command nor refused`).toBeDefined();
    expect(r?.reason).toBeTruthy();
    expect(r?.instead).toBeTruthy();
    expect(COMPOSE_ONLY_COMMANDS.has(name)).toBe(true);
  });

  it('refuses a compose command cmp lacks in one line, with what to do instead', async () => {
    const name = Object.keys(REFUSED_COMMANDS)[0] as string;
    let err = '';
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      expect(await runCli([name])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(REFUSED_COMMANDS[name]?.reason);
    expect(err).toContain(REFUSED_COMMANDS[name]?.instead);
  });
});

describe('docker compose v2.26 flags', () => {
  const cases = Object.entries(fixture.commands).flatMap(([name, flags]) =>
    flags.map((f) => [name, f] as const),
  );

  it.each(cases)('%s %o is there or refused with a reason', async (name, flag) => {
    const cmd = commandOf(name);
    if (!cmd) return; // a refused command: its flags go with it
    const r = refusalOf(name, flag.long);
    if (hasOption(cmd, flag.long)) {
      if (flag.short) expect(cmd.options.find((o) => o.long === flag.long)?.short).toBe(flag.short);
      // A flag that takes a value takes one in cmp too.
      const opt = cmd.options.find((o) => o.long === flag.long);
      if (flag.value) expect(opt?.required || opt?.optional, flag.long).toBe(true);
      return;
    }
    expect(r, `${name} ${flag.long}: neither an option nor refused`).toBeDefined();
    const text = await refusal([name, flag.long]);
    expect(text).toContain(`${flag.long} is not supported by cmp: ${r?.reason}`);
    expect(text).toContain(r?.instead);
    if (flag.short) expect(await refusal([name, flag.short])).toBe(text);
  });

  it.each(fixture.global)('global %o is there or refused, before and after the command', async (flag) => {
    const r = refusalOf('', flag.long);
    if (r) {
      expect(await refusal([flag.long, '1', 'ps'])).toContain(r.reason);
      expect(await refusal(['ps', flag.long, '1'])).toContain(r.reason);
      return;
    }
    expect(program.options.some((o) => o.long === flag.long)).toBe(true);
    for (const cmd of program.commands) {
      if (cmd.name() === 'help') continue;
      expect(
        cmd.options.some((o) => o.long === flag.long),
        `${cmd.name()} ${flag.long}`,
      ).toBe(true);
    }
  });
});

describe('global options after the command', () => {
  it('are read as if given before it', async () => {
    const p = await parsed(['up', '-d', '--dry-run', '--ansi', 'never', '--menu=false']);
    expect(p.opts).toMatchObject({ detach: true, dryRun: true, ansi: 'never', menu: 'false' });
    const q = await parsed(['ps', '-f', 'a.yaml', '-p', 'x', '--profile', 'p', '--progress', 'plain']);
    expect(q.opts).toMatchObject({ file: ['a.yaml'], projectName: 'x', profile: ['p'], progress: 'plain' });
  });

  it("leave a command's own short flag alone", async () => {
    const p = await parsed(['logs', '-f', 'web']);
    expect(p.opts.follow).toBe(true);
    expect(p.opts.file).toBeUndefined();
    const r = await parsed(['run', '-p', '80:80', 'web']);
    expect(r.opts.publish).toEqual(['80:80']);
  });

  it('refuses an --ansi value compose refuses', async () => {
    await expect(parsed(['ps', '--ansi', 'sometimes'])).rejects.toThrow(/sometimes/);
  });
});
