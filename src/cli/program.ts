// The command table. Each command's code is imported only when that command runs, so `cmp --help`
// and the hand-over to diffutils never pay for ink, ajv or the runtimes.
import { Command, CommanderError, Option } from 'commander';
import { isCmpError } from '../util/errors.js';
import { collect, type GlobalOptions } from './globals.js';
import { VERSION } from '../version.js';

type Action = (
  globals: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[],
) => Promise<number | void>;

function lazy(load: () => Promise<{ run: Action }>): Action {
  return async (globals, opts, args) => (await load()).run(globals, opts, args);
}

export function buildProgram(): Command {
  const program = new Command('cmp')
    .description('Run Compose projects without a daemon: up, down, watch, and explain what happened.')
    .version(VERSION, '--version', 'print the version')
    .addOption(
      new Option('-f, --file <file>', 'compose file (repeatable; "-" reads stdin)').argParser(collect),
    )
    .addOption(new Option('-p, --project-name <name>', 'project name'))
    .addOption(new Option('--profile <profile>', 'enable a profile (repeatable)').argParser(collect))
    .addOption(new Option('--env-file <file>', 'env file (repeatable)').argParser(collect))
    .addOption(
      new Option('--project-directory <dir>', "project directory (default: the first file's folder)"),
    )
    .addOption(new Option('--runtime <name>', 'runtime driver').choices(['embedded', 'docker']))
    .addOption(
      new Option('--progress <mode>', 'progress output').choices(['auto', 'tty', 'plain', 'json', 'quiet']),
    )
    .addOption(new Option('--verbose', 'show stack traces and debug output').default(false))
    .addOption(new Option('--dry-run', 'show what would be done without doing it').default(false))
    .showSuggestionAfterError(true)
    .enablePositionalOptions();

  const globals = (): GlobalOptions => {
    const o = program.opts();
    return {
      file: (o.file as string[] | undefined) ?? [],
      projectName: o.projectName as string | undefined,
      profile: (o.profile as string[] | undefined) ?? [],
      envFile: (o.envFile as string[] | undefined) ?? [],
      projectDirectory: o.projectDirectory as string | undefined,
      runtime: o.runtime as string | undefined,
      progress: o.progress as string | undefined,
      verbose: Boolean(o.verbose) || Boolean(process.env.CMP_DEBUG),
      dryRun: Boolean(o.dryRun),
    };
  };

  const wire = (cmd: Command, action: Action): Command =>
    cmd.action(async (...params: unknown[]) => {
      // commander passes positional args, then the options object, then the command itself
      const self = params[params.length - 1] as Command;
      const code = await action(globals(), self.opts(), self.args);
      if (typeof code === 'number') process.exitCode = code;
    });

  for (const def of COMMANDS) {
    const cmd = program.command(def.usage).description(def.description);
    def.options?.(cmd);
    wire(cmd, def.action);
  }
  return program;
}

export interface CommandDef {
  usage: string;
  description: string;
  options?: (cmd: Command) => void;
  action: Action;
}

export const COMMANDS: CommandDef[] = [
  {
    usage: 'config [services...]',
    description: 'Validate the project and print its canonical model',
    options: (c) =>
      c
        .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
        .option('--services', 'print the service names, one per line')
        .option('--volumes', 'print the volume names, one per line')
        .option('--networks', 'print the network names, one per line')
        .option('--profiles', 'print the profile names, one per line')
        .option('--images', 'print the image names, one per line')
        .option('-q, --quiet', 'only validate, print nothing')
        .option('--no-interpolate', 'do not interpolate variables')
        .option('-o, --output <file>', 'write to this file instead of stdout'),
    action: lazy(() => import('./commands/config.js')),
  },
  {
    usage: 'version',
    description: 'Print version information',
    options: (c) =>
      c
        .addOption(
          new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'),
        )
        .option('--short', 'print only the version number'),
    action: lazy(() => import('./commands/version.js')),
  },
];

/** Runs one command line and returns the exit code; every error ends here as one line. */
export async function runCli(args: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0
      return e.exitCode;
    }
    const verbose = args.includes('--verbose') || Boolean(process.env.CMP_DEBUG);
    if (isCmpError(e)) {
      process.stderr.write(`${e.format()}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`cmp: internal error: ${err.message}\n`);
    if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(run again with --verbose or CMP_DEBUG=1 for the stack trace)\n');
    return 1;
  }
}
