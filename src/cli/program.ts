// The command table. Each command's code is imported only when that command runs, so `cmp --help`
// and the hand-over to diffutils never pay for ink, ajv or the runtimes.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isCmpError, UsageError } from '../util/errors.js';
import { closestCommand, isComposeOnlyCommand } from './command-names.js';
import { acceptGlobalsAfter, boolFlagValues, mergeGlobals, refuseComposeFlags } from './compose-flags.js';
import { REFUSED_COMMANDS } from './compose-parity.js';
import { collect, type GlobalOptions } from './globals.js';
import { VERSION } from '../version.js';
import { flushRuntimes } from '../runtime/open.js';
import { PIPE_CLOSED_EXIT, stdoutClosed, stdoutSettled, watchStdio } from './stdout-closed.js';
import { terminalLine, terminalText } from '../util/terminal-text.js';

export type Action = (
  globals: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[],
) => Promise<number | void>;

/** Imports the command's module when it runs; `name` picks the export when one module serves several commands. */
function lazy<K extends string = 'run'>(
  load: () => Promise<{ [P in NoInfer<K>]: Action }>,
  name?: K,
): Action {
  return async (globals, opts, args) => {
    const mod = await load();
    return mod[name ?? ('run' as K)](globals, opts, args);
  };
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
    .addOption(
      new Option('--ansi <when>', 'colours and cursor control (never: plain progress, no colour)').choices([
        'never',
        'always',
        'auto',
      ]),
    )
    .addOption(new Option('--no-ansi', 'same as --ansi never (compose v1 spelling)').hideHelp())
    .addOption(new Option('--verbose', 'show stack traces and debug output').default(false))
    .addOption(new Option('--dry-run', 'show what would be done without doing it').default(false))
    .addOption(new Option('--all-resources', 'up: create every declared network and volume, used or not'))
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    // No command: usage on stdout and exit 0, as compose does; a name that is no command: our own error.
    .usage('[options] [command]')
    .argument('[command...]')
    .action((words: string[]) => {
      if (words[0] !== undefined) unknownCommand(words[0]);
      program.outputHelp();
    });

  const globals = (own: Record<string, unknown>): GlobalOptions => {
    const o = mergeGlobals(program.opts(), own);
    const ansi = o.ansi === false ? 'never' : (o.ansi as string | undefined);
    applyAnsi(ansi);
    return {
      file: (o.file as string[] | undefined) ?? [],
      projectName: o.projectName as string | undefined,
      profile: (o.profile as string[] | undefined) ?? [],
      envFile: (o.envFile as string[] | undefined) ?? [],
      projectDirectory: o.projectDirectory as string | undefined,
      runtime: o.runtime as string | undefined,
      progress: (o.progress as string | undefined) ?? (ansi === 'never' ? 'plain' : undefined),
      verbose: Boolean(o.verbose) || Boolean(process.env.CMP_DEBUG),
      dryRun: Boolean(o.dryRun),
      ...(o.allResources === true ? { allResources: true } : {}),
    };
  };

  const wire = (cmd: Command, action: Action): Command =>
    cmd.action(async (...params: unknown[]) => {
      // commander passes positional args, then the options object, then the command itself
      const self = params[params.length - 1] as Command;
      const code = await action(globals(self.opts()), self.opts(), self.args);
      if (typeof code === 'number') process.exitCode = code;
    });

  for (const def of COMMANDS) {
    const cmd = program.command(def.usage).description(def.description);
    def.options?.(cmd);
    acceptGlobalsAfter(cmd);
    refuseComposeFlags(cmd, cmd.name());
    wire(cmd, def.action);
  }
  refuseComposeFlags(program, undefined);
  return program;
}

/** `--ansi` reaches every renderer through the environment they already read (ui/ansi.ts). */
function applyAnsi(ansi: string | undefined): void {
  if (ansi === 'never') process.env.NO_COLOR = '1';
  if (ansi === 'always') process.env.CMP_ANSI = 'always';
}

/** What compose says to a name it does not know, with our "did you mean"; never diffutils' "No such file". */
function unknownCommand(name: string): never {
  if (isComposeOnlyCommand(name)) {
    const r = REFUSED_COMMANDS[name];
    throw new UsageError(
      `'${name}' is a docker compose command that cmp does not have${r ? `: ${r.reason}` : ''}`,
      { hint: r?.instead ?? "see 'cmp --help'" },
    );
  }
  const near = closestCommand(name);
  throw new UsageError(`unknown command '${name}'`, {
    hint: near ? `did you mean ${near}? see 'cmp --help'` : "see 'cmp --help'",
  });
}

export interface CommandDef {
  usage: string;
  description: string;
  options?: (cmd: Command) => void;
  action: Action;
}

const seconds = (flags: string, what: string): Option => new Option(flags, what);

function tableJsonOrTemplate(value: string): string {
  if (value === 'table' || value === 'json' || value.includes('{{')) return value;
  throw new InvalidArgumentError('expected table, json or a Go template like {{.Name}}');
}

/** `--wait` and `--wait-timeout`, shared by up and start. */
function waitOptions(c: Command): Command {
  return c
    .option('--wait', 'wait for services to be running or healthy (implies --detach for up)')
    .addOption(seconds('--wait-timeout <seconds>', 'give up waiting after this many seconds'));
}

function timeoutOption(
  c: Command,
  what = 'stop timeout in seconds (default: stop_grace_period, else 10)',
): Command {
  return c.addOption(seconds('-t, --timeout <seconds>', what));
}

export const COMMANDS: CommandDef[] = [
  {
    usage: 'up [services...]',
    description: 'Create and start containers, then follow their logs (or return with -d)',
    options: (c) => {
      c.option('-d, --detach', 'run containers in the background and return');
      waitOptions(c);
      // A list of services, not commander's negation of --attach: it gets an attribute of its own.
      const noAttach = new Option('--no-attach <service>', "don't follow these services (repeatable)");
      noAttach.negate = false;
      c.option('--build', 'build images before starting')
        .option('--no-build', "don't build images, even if missing")
        .option('--force-recreate', 'recreate containers even if their configuration is unchanged')
        .option('--no-recreate', "don't recreate containers that exist")
        .option('--always-recreate-deps', 'recreate dependent containers too')
        .option('--no-deps', "don't start linked services")
        .addOption(
          new Option('--scale <service=num>', 'run num containers of a service (repeatable)').argParser(
            collect,
          ),
        )
        .option('--remove-orphans', 'remove containers of services not in the compose file')
        .option('--no-start', "don't start the services after creating them")
        .addOption(
          new Option(
            '--pull <policy>',
            'pull images before running: always, missing, never or build (default: each pull_policy)',
          ),
        )
        .addOption(
          new Option(
            '--attach <service>',
            'follow only these services (repeatable; incompatible with --attach-dependencies)',
          ).argParser(collect),
        )
        .addOption(noAttach.argParser(collect))
        .option('--attach-dependencies', "follow the dependencies' logs too")
        .option('--abort-on-container-exit', 'stop all containers if any container exits')
        .option('--abort-on-container-failure', 'stop all containers if any container exits with a failure')
        .option(
          '--exit-code-from <service>',
          "return this service's exit code (implies --abort-on-container-exit)",
        );
      timeoutOption(c, 'stop timeout in seconds when containers are replaced or stopped');
      c.option('--no-color', 'monochrome log output')
        .option('--no-log-prefix', "don't prefix log lines with the container name")
        .option('--timestamps', 'show timestamps in the log output')
        .option('--timeline', 'print when each service was created, started and healthy')
        .option('-w, --watch', 'watch the develop.watch paths (with -d: in a background watcher)')
        .option('--quiet-pull', 'pull without printing progress')
        .option(
          '-V, --renew-anon-volumes',
          'new anonymous volumes for recreated containers (what cmp always does: none are carried over)',
        )
        .option('-y, --yes', 'answer yes to prompts (cmp never prompts)')
        .addOption(
          new Option('--menu [bool]', 'the key menu of attached up: only --menu=false (cmp has no key menu)')
            .choices(['true', 'false'])
            .preset('true'),
        );
      // commander folds --build/--no-build into one value, last wins; compose rejects the pair, so note each.
      c.on('option:build', () => c.setOptionValue('buildGiven', true));
      c.on('option:no-build', () => c.setOptionValue('noBuildGiven', true));
    },
    action: lazy(() => import('./commands/up.js')),
  },
  {
    usage: 'create [services...]',
    description: 'Create networks, volumes and containers without starting them (up --no-start)',
    options: (c) => {
      c.option('--build', 'build images before creating (docker runtime only for now)')
        .option('--no-build', "don't build images, even if missing")
        .option('--force-recreate', 'recreate containers even if their configuration is unchanged')
        .option('--no-recreate', "don't recreate containers that exist")
        .option('--remove-orphans', 'remove containers of services not in the compose file')
        .addOption(
          new Option('--scale <service=num>', 'create num containers of a service (repeatable)').argParser(
            collect,
          ),
        )
        .addOption(
          new Option(
            '--pull <policy>',
            'pull images before creating: always, missing, never or build (default: each pull_policy)',
          ),
        )
        .option('--quiet-pull', 'pull without printing progress')
        .option('-y, --yes', 'answer yes to prompts (cmp never prompts)');
      c.on('option:build', () => c.setOptionValue('buildGiven', true));
      c.on('option:no-build', () => c.setOptionValue('noBuildGiven', true));
    },
    action: lazy(() => import('./commands/create.js')),
  },
  {
    usage: 'down [services...]',
    description: 'Stop and remove containers and networks (and volumes with -v)',
    options: (c) => {
      c.option('-v, --volumes', 'remove named volumes declared in the file and anonymous volumes')
        .option('--remove-orphans', 'remove containers of services not in the compose file')
        .addOption(new Option('--rmi <type>', 'remove images used by services').choices(['local', 'all']));
      timeoutOption(c);
    },
    action: lazy(() => import('./commands/down.js')),
  },
  {
    usage: 'ps [services...]',
    description: 'List containers',
    options: (c) =>
      c
        .option('-a, --all', 'show stopped containers too')
        .option('-q, --quiet', 'only print container IDs')
        .option('--services', 'print the service names')
        .addOption(
          new Option('--status <status>', 'filter by state (repeatable)')
            .choices(['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'])
            .argParser(collect),
        )
        .addOption(
          new Option('--filter <status=STATE>', 'filter by a property: status (repeatable)').argParser(
            collect,
          ),
        )
        .option('--no-trunc', "don't cut the command short")
        .addOption(
          new Option('--orphans [bool]', 'with =false, leave out services the file no longer has')
            .choices(['true', 'false'])
            .preset('true'),
        )
        .addOption(
          new Option(
            '--format <format>',
            'table, json, or a Go template: {{.Name}}, {{.Service}}, {{.State}}, {{json .}}, table ...',
          )
            .default('table')
            .argParser(tableJsonOrTemplate),
        ),
    action: lazy(() => import('./commands/ps.js')),
  },
  {
    usage: 'logs [services...]',
    description: 'Show container output, merged by time',
    options: (c) =>
      c
        .option('-f, --follow', 'follow the output')
        .option('-n, --tail <lines>', 'lines from the end of each container\'s log, or "all"')
        .option('-t, --timestamps', 'show timestamps')
        .option('--since <time>', 'show lines since a time (2024-05-01T10:00:00Z) or a duration back (10m)')
        .option('--until <time>', 'show lines before a time or a duration back')
        .option('--no-color', 'monochrome output')
        .option('--no-log-prefix', "don't prefix lines with the container name")
        .option('--index <n>', 'only this replica of the service'),
    action: lazy(() => import('./commands/logs.js')),
  },
  {
    usage: 'start [services...]',
    description: 'Start existing containers',
    options: (c) => void waitOptions(c),
    action: lazy(() => import('./commands/lifecycle.js'), 'runStart'),
  },
  {
    usage: 'stop [services...]',
    description: 'Stop running containers without removing them',
    options: (c) => void timeoutOption(c),
    action: lazy(() => import('./commands/lifecycle.js'), 'runStop'),
  },
  {
    usage: 'restart [services...]',
    description: 'Restart containers (configuration changes are not applied: use up)',
    options: (c) => {
      timeoutOption(c);
      c.option('--no-deps', "don't restart dependents that declare depends_on.restart");
    },
    action: lazy(() => import('./commands/lifecycle.js'), 'runRestart'),
  },
  {
    usage: 'kill [services...]',
    description: 'Send a signal to running containers',
    options: (c) => c.option('-s, --signal <signal>', 'signal to send', 'SIGKILL'),
    action: lazy(() => import('./commands/containers.js'), 'runKill'),
  },
  {
    usage: 'rm [services...]',
    description: 'Remove stopped containers (needs -f: cmp never prompts)',
    options: (c) =>
      c
        .option('-f, --force', 'remove without asking')
        .option('-s, --stop', 'stop the containers first if needed')
        .option('-v, --volumes', 'remove anonymous volumes attached to the containers'),
    action: lazy(() => import('./commands/rm.js')),
  },
  {
    usage: 'pause [services...]',
    description: 'Pause running containers',
    action: lazy(() => import('./commands/containers.js'), 'runPause'),
  },
  {
    usage: 'unpause [services...]',
    description: 'Unpause paused containers',
    action: lazy(() => import('./commands/containers.js'), 'runUnpause'),
  },
  {
    usage: 'exec <service> <command...>',
    description: 'Run a command in a running container; exits with its code',
    options: (c) =>
      c
        .option('-d, --detach', 'run the command in the background')
        .option('-T, --no-TTY', 'no pseudo-TTY (the default when stdin is not a terminal)')
        .option('-u, --user <user>', 'run as this user')
        .option('-w, --workdir <dir>', 'working directory inside the container')
        .addOption(
          new Option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable)').argParser(collect),
        )
        .option('--index <n>', 'replica of the service (default 1)')
        .option('--privileged', 'extended privileges for the command')
        .passThroughOptions(),
    action: lazy(() => import('./commands/exec.js')),
  },
  {
    usage: 'run <service> [command...]',
    description: "Run a one-off container of a service; exits with the container's code",
    options: (c) =>
      c
        .option('--rm', 'remove the container when it exits')
        .option('-d, --detach', 'run in the background and print the container name')
        .option('--name <name>', 'container name')
        .addOption(
          new Option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable)').argParser(collect),
        )
        .option('--entrypoint <cmd>', "override the image's entrypoint")
        .option('-u, --user <user>', 'run as this user')
        .option('-w, --workdir <dir>', 'working directory inside the container')
        .option('-T, --no-TTY', 'no pseudo-TTY (the default when stdin is not a terminal)')
        .option('--no-deps', "don't start the service's dependencies")
        .addOption(
          new Option(
            '-p, --publish <port>',
            "publish a container's port to the host, [HOST:]CONTAINER[/PROTO] (repeatable)",
          ).argParser(collect),
        )
        .option('-P, --service-ports', "publish the service's ports, as up does (not by default)")
        .addOption(
          new Option('-v, --volume <SRC:DST>', 'bind mount a host path or a volume (repeatable)').argParser(
            collect,
          ),
        )
        .addOption(
          new Option('-l, --label <KEY=VAL>', 'add a label to the container (repeatable)').argParser(collect),
        )
        .addOption(new Option('--cap-add <cap>', 'add a Linux capability (repeatable)').argParser(collect))
        .addOption(new Option('--cap-drop <cap>', 'drop a Linux capability (repeatable)').argParser(collect))
        .option('-i, --interactive', 'keep stdin open (the default when there is one to give)')
        .option('--use-aliases', "answer to the service's name and network aliases too")
        .option('-t, --tty', 'allocate a pseudo-TTY (the default when stdin is a terminal)')
        .addOption(
          new Option(
            '--env-from-file <file>',
            'set environment variables from a file (repeatable)',
          ).argParser(collect),
        )
        .addOption(
          new Option(
            '--pull <policy>',
            'pull the image first: always, missing, never (default: pull_policy)',
          ),
        )
        .passThroughOptions(),
    action: lazy(() => import('./commands/run.js')),
  },
  {
    usage: 'top [services...]',
    description: 'Show the processes of running containers',
    action: lazy(() => import('./commands/top.js')),
  },
  {
    usage: 'port <service> <private_port>',
    description: 'Print the host address a container port is published on',
    options: (c) =>
      c
        .addOption(new Option('--protocol <protocol>', 'protocol').choices(['tcp', 'udp']).default('tcp'))
        .option('--index <n>', 'replica of the service (default 1)'),
    action: lazy(() => import('./commands/port.js')),
  },
  {
    usage: 'events [services...]',
    description: 'Stream container events of the project',
    options: (c) => c.option('--json', 'one JSON object per line'),
    action: lazy(() => import('./commands/events.js')),
  },
  {
    usage: 'wait <services...>',
    description: "Block until the services' containers stop; exits with the first one's code",
    options: (c) => c.option('--down-project', 'take the project down once the first container stops'),
    action: lazy(() => import('./commands/wait.js')),
  },
  {
    usage: 'ls',
    description: 'List running projects (every project with containers, found by their labels)',
    options: (c) =>
      c
        .option('-a, --all', 'show stopped projects too')
        .option('-q, --quiet', 'only print project names')
        .addOption(
          new Option('--filter <name=pattern>', 'only projects whose name matches (repeatable)').argParser(
            collect,
          ),
        )
        .addOption(
          new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
        ),
    action: lazy(() => import('./commands/ls.js')),
  },
  {
    usage: 'images [services...]',
    description: 'List the images used by the containers',
    options: (c) =>
      c
        .option('-q, --quiet', 'only print image IDs')
        .addOption(
          new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
        ),
    action: lazy(() => import('./commands/images.js')),
  },
  {
    usage: 'pull [services...]',
    description: 'Pull service images',
    options: (c) =>
      c
        .option('--ignore-pull-failures', 'pull what it can and warn about the rest')
        .option('--ignore-buildable', 'leave out services that have a build section')
        .option('--include-deps', "also pull the named services' dependencies")
        .option('-q, --quiet', 'no progress output')
        .addOption(
          new Option('--policy <policy>', 'pull policy').choices(['missing', 'always']).default('always'),
        ),
    action: lazy(() => import('./commands/pull.js')),
  },
  {
    usage: 'build [services...]',
    description: 'Build the images of services that have a build section',
    options: (c) =>
      c
        .option('--no-cache', "don't use the build cache")
        .option('--pull', 'pull newer versions of the base images')
        .addOption(
          new Option(
            '--build-arg <KEY=VAL>',
            'set a build argument (repeatable; KEY alone reads the environment)',
          ).argParser(collect),
        )
        .option('-q, --quiet', 'no progress output')
        .option('--with-dependencies', 'also build the services the named ones depend on'),
    action: lazy(() => import('./commands/build.js')),
  },
  {
    usage: 'commit <service> [image]',
    description: "Make an image from a service container's changes (IMAGE is REPOSITORY[:TAG])",
    options: (c) =>
      c
        .option('-m, --message <text>', 'commit message')
        .addOption(
          new Option(
            '-c, --change <instruction>',
            'apply a Dockerfile instruction to the image (repeatable)',
          ).argParser(collect),
        )
        .option('-a, --author <name>', 'author (e.g. "Jane <jane@example.com>")')
        .option('-p, --pause', 'pause the container while committing (the default)')
        .option('--no-pause', 'do not pause the container')
        .option('--index <n>', 'which replica of the service (default: 1)'),
    action: lazy(() => import('./commands/commit.js')),
  },
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
        .option('--variables', "print the files' variables: name, required, default and alternate value")
        .option('-q, --quiet', 'only validate, print nothing')
        .option('--no-interpolate', 'do not interpolate variables')
        .option('-o, --output <file>', 'write to this file instead of stdout'),
    action: lazy(() => import('./commands/config.js')),
  },
  {
    usage: 'graph [services...]',
    description: 'Draw the services, their dependencies and networks (from the files; nothing runs)',
    options: (c) =>
      c
        .addOption(
          new Option(
            '--format <format>',
            'output format (default: from the -o extension, else text)',
          ).choices(['text', 'mermaid', 'dot', 'svg']),
        )
        .option('--volumes', 'draw named volumes and their mounts too')
        .option('-o, --output <file>', 'write to this file instead of stdout'),
    action: lazy(() => import('./commands/graph.js')),
  },
  {
    usage: 'lint [services...]',
    description: 'Report pitfalls in the project: readiness, restart loops, unreachable names, exposed ports',
    options: (c) =>
      c.addOption(
        new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
      ),
    action: lazy(() => import('./commands/lint.js')),
  },
  {
    usage: 'image <action> [args...]',
    description:
      "Manage the embedded runtime's images: ls, inspect, rm, prune, load, save, tag, push, pull (docs/resources.md)",
    options: (c) =>
      c
        .option('-i, --input <file>', 'load: read from this tar file (default: stdin)')
        .option('-o, --output <file>', 'save: write the archive to this file')
        .option('-q, --quiet', 'ls: only IDs; load, push, pull: print less')
        .option('-a, --all', 'prune: also images no container uses')
        .option('-f, --force', 'rm: even if a container uses it; prune: do not ask (cmp never asks)')
        .option('--digests', 'ls: show digests')
        .addOption(
          new Option('--filter <k=v>', 'ls: dangling=, label=, reference= (repeatable)').argParser(collect),
        )
        .addOption(
          new Option('--format <format>', 'ls, inspect: output format')
            .choices(['table', 'json'])
            .default('table'),
        ),
    action: lazy(() => import('./commands/image.js')),
  },
  {
    usage: 'builder <action> [args...]',
    description: "Manage the embedded runtime's build cache: prune (docs/build.md)",
    options: (c) =>
      c
        .option('-a, --all', 'prune: all build cache, not only what no stored image needs')
        .option('-f, --force', 'prune: do not ask (cmp never asks)'),
    action: lazy(() => import('./commands/builder.js')),
  },
  {
    usage: 'network <action> [args...]',
    description:
      "Manage the embedded runtime's networks: ls, inspect, create, connect, disconnect, rm, prune",
    options: (c) =>
      c
        .option('-d, --driver <driver>', 'create: network driver (bridge)')
        .option('--subnet <cidr>', 'create: subnet')
        .option('--ip-range <cidr>', 'create: allocate container addresses from this range')
        .option('--gateway <ip>', 'create: gateway address')
        .option('--internal', 'create: no outside access')
        .addOption(new Option('--label <k=v>', 'create: label (repeatable)').argParser(collect))
        .option('--ip <address>', 'connect: IPv4 address')
        .addOption(new Option('--alias <name>', 'connect: DNS alias (repeatable)').argParser(collect))
        .option('-q, --quiet', 'ls: only IDs')
        .option('-f, --force', 'prune: do not ask (cmp never asks)')
        .addOption(new Option('--filter <k=v>', 'ls, prune: filter (repeatable)').argParser(collect))
        .addOption(
          new Option('--format <format>', 'ls, inspect: output format')
            .choices(['table', 'json'])
            .default('table'),
        ),
    action: lazy(() => import('./commands/network.js')),
  },
  {
    usage: 'volume <action> [args...]',
    description: "Manage the embedded runtime's volumes: ls, inspect, create, rm, prune",
    options: (c) =>
      c
        .option('-d, --driver <driver>', 'create: volume driver (local)')
        .addOption(new Option('--label <k=v>', 'create: label (repeatable)').argParser(collect))
        .option('-q, --quiet', 'ls: only names')
        .option('-a, --all', 'prune: named volumes too, not only anonymous ones')
        .option('-f, --force', 'rm, prune: do not ask (cmp never asks)')
        .addOption(new Option('--filter <k=v>', 'ls, prune: filter (repeatable)').argParser(collect))
        .addOption(
          new Option('--format <format>', 'ls, inspect: output format')
            .choices(['table', 'json'])
            .default('table'),
        ),
    action: lazy(() => import('./commands/volume.js')),
  },
  {
    usage: 'system <action>',
    description:
      'The embedded runtime on this host: df (disk use by kind), info (runtime, host, counts), boot (bring back restart always/unless-stopped projects), enable-boot, disable-boot, prune',
    options: (c) =>
      c
        .addOption(
          new Option('--format <format>', 'df, info: output format')
            .choices(['table', 'json'])
            .default('table'),
        )
        .option(
          '--root <dir>',
          'enable-boot, disable-boot: install under this root instead of / (image builds)',
        ),
    action: lazy(() => import('./commands/system.js')),
  },
  {
    usage: 'deploy',
    description: 'Deploy the project as a Docker Swarm stack (Engine API, DOCKER_HOST)',
    options: (c) =>
      c
        .option('--stack <name>', 'stack name (default: the project name)')
        .option('--prune', 'remove services, configs and secrets of the stack no longer in the file')
        .option('--with-registry-auth', "send the registry credentials from docker's config to the nodes")
        .option('--dry-run', 'print the service specs that would be sent, deploy nothing'),
    action: lazy(() => import('./commands/deploy.js')),
  },
  {
    usage: 'undeploy',
    description: 'Remove a Docker Swarm stack: services, networks, configs and secrets',
    options: (c) =>
      c
        .option('--stack <name>', 'stack name (default: the project name)')
        .option('--dry-run', 'say what would be removed, remove nothing'),
    action: lazy(() => import('./commands/deploy.js'), 'runUndeploy'),
  },
  {
    usage: 'convert [services...]',
    description: 'Write the project as manifests for a cluster engine (--to kubernetes)',
    options: (c) =>
      c
        .addOption(new Option('--to <target>', 'target platform (required)').choices(['kubernetes']))
        .option('-o, --output <dir>', 'write one file per object into this folder (default: stdout)')
        .addOption(
          new Option('--expose <type>', 'Service type for published ports')
            .choices(['clusterip', 'nodeport', 'loadbalancer'])
            .default('clusterip'),
        )
        .option('--report', 'print what does not carry over as a table instead of warnings'),
    action: lazy(() => import('./commands/convert.js')),
  },
  {
    usage: 'watch [services...]',
    description: 'Bring services up, then sync, rebuild or restart them as their develop.watch rules say',
    options: (c) =>
      c
        .option('--no-up', "don't bring the services up before watching")
        .option('--prune', 'remove the image a rebuild replaced (the default)')
        .option('--no-prune', 'keep the image a rebuild replaced')
        .option('--quiet', 'no progress output for the up and rebuild steps')
        .option('--stop', 'end the detached watcher that `up -d --watch` started'),
    action: lazy(() => import('./commands/watch.js')),
  },
  {
    usage: 'attach <service>',
    description: "Show a service container's output as it comes, until it ends (stdin is not forwarded)",
    options: (c) =>
      c
        .option('--index <n>', 'replica of the service (default 1)')
        .option('--no-stdin', 'do not attach stdin (what cmp always does)'),
    action: lazy(() => import('./commands/attach-service.js')),
  },
  {
    usage: 'cp <source> <destination>',
    description: 'Copy files or folders between a service container and the host (SERVICE:PATH on one side)',
    options: (c) =>
      c
        .option('-a, --archive', "keep the files' owners (uid:gid)")
        .option('-L, --follow-link', 'follow the source path when it is a symbolic link')
        .option('--index <n>', 'replica of the service (default 1)'),
    action: lazy(() => import('./commands/cp.js')),
  },
  {
    usage: 'export <service>',
    description: "Write a service container's filesystem (without its volumes) as a tar archive",
    options: (c) =>
      c
        .option('-o, --output <file>', 'write to this file instead of stdout')
        .option('--index <n>', 'replica of the service (default 1)'),
    action: lazy(() => import('./commands/export.js')),
  },
  {
    usage: 'stats [services...]',
    description: 'Show CPU, memory, network and block I/O use of the containers, live until Ctrl-C',
    options: (c) =>
      c
        .option('-a, --all', 'show stopped containers too')
        .option('--no-stream', 'print one table and return')
        .addOption(
          new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
        ),
    action: lazy(() => import('./commands/stats.js')),
  },
  {
    usage: 'scale <service=num...>',
    description: 'Run num containers of each service (up -d --scale)',
    options: (c) => c.option('--no-deps', "don't start linked services"),
    action: lazy(() => import('./commands/scale.js')),
  },
  {
    usage: 'volumes [services...]',
    description: "List the project's volumes (those the named services mount)",
    options: (c) =>
      c
        .option('-q, --quiet', 'only print volume names')
        .addOption(
          new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
        ),
    action: lazy(() => import('./commands/project-volumes.js')),
  },
  {
    usage: 'push [services...]',
    description: 'Push the images of services that have both build and image',
    options: (c) =>
      c
        .option('--ignore-push-failures', 'push what it can and warn about the rest')
        .option('-q, --quiet', 'no progress output'),
    action: lazy(() => import('./commands/push.js')),
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
  watchStdio();
  const program = buildProgram();
  // Subcommands do not inherit settings made after they were added: set them on every one.
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({ writeErr: (s) => process.stderr.write(terminalText(s)) });
  }
  try {
    await program.parseAsync(boolFlagValues(program, args), { from: 'user' });
    await flushRuntimes();
    await stdoutSettled();
    if (stdoutClosed.aborted) return PIPE_CLOSED_EXIT;
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // The command stopped because its reader went away: that is the whole story, told by the exit code.
    if (stdoutClosed.aborted) return PIPE_CLOSED_EXIT;
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
    process.stderr.write(`cmp: internal error: ${terminalLine(err.message)}\n`);
    if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(run again with --verbose or CMP_DEBUG=1 for the stack trace)\n');
    return 1;
  }
}
