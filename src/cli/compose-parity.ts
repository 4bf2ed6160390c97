// What a docker compose (v2.26) user types that cmp does not do, each with the reason and what to do
// instead: such a command or flag is refused in one line rather than reported as unknown, so muscle memory
// gets an answer. test/unit/cli/compose-parity.test.ts walks compose's own list against this and the
// command table.

export interface Refusal {
  reason: string;
  instead: string;
  /** compose's one-letter form of the flag. */
  short?: string;
}

/** compose commands cmp does not have. */
export const REFUSED_COMMANDS: Readonly<Record<string, Refusal>> = {
  alpha: { reason: "compose's experimental commands are not in cmp", instead: "see 'cmp --help'" },
  publish: {
    reason: 'publishing the project as an OCI artifact is not in cmp yet',
    instead: "share the compose files, and 'cmp push' the images",
  },
};

const leaveOut = 'leave it out';

/** Per command: compose's flags cmp refuses (long name; the short one is refused with it). */
export const REFUSED_FLAGS: Readonly<Record<string, Readonly<Record<string, Refusal>>>> = {
  attach: {
    '--detach-keys': {
      reason: 'cmp attaches output only, there is nothing to detach from',
      instead: 'Ctrl-C',
    },
    '--sig-proxy': {
      reason: 'cmp attaches output only and forwards no signals',
      instead: "'cmp kill -s SIGNAL SERVICE'",
    },
  },
  build: {
    '--builder': {
      reason: "cmp uses its own builder (embedded) or the engine's, no buildx builders",
      instead: leaveOut,
    },
    '--memory': {
      short: '-m',
      reason: 'build memory limits are not passed to the builder',
      instead: leaveOut,
    },
    '--push': { reason: 'build and push are separate steps in cmp', instead: "'cmp build' then 'cmp push'" },
    '--ssh': {
      reason: 'SSH agent forwarding into builds is not supported',
      instead: 'pass keys as build secrets',
    },
  },
  config: {
    '--hash': { reason: 'cmp does not print config hashes', instead: "'cmp config --format json'" },
    '--no-consistency': { reason: 'cmp always checks the model', instead: "'cmp config --no-interpolate'" },
    '--no-normalize': {
      reason: 'cmp prints only the canonical model',
      instead: "'cmp config --no-interpolate'",
    },
    '--no-path-resolution': {
      reason: 'cmp prints only the canonical model, with absolute paths',
      instead: "'cmp config --no-interpolate'",
    },
    '--resolve-image-digests': {
      reason: 'cmp does not pin images to digests in the output',
      instead: "'cmp images' shows the image IDs in use",
    },
  },
  kill: {
    '--remove-orphans': {
      reason: 'kill acts on the services in the file',
      instead: "'cmp down --remove-orphans' or 'cmp up --remove-orphans'",
    },
  },
  push: {
    '--include-deps': {
      reason: 'push takes the named services only',
      instead: 'name the dependencies too',
    },
  },
  run: {
    '--build': { reason: 'run does not build', instead: "'cmp build SERVICE' first" },
    '--quiet-pull': { reason: 'run does not pull', instead: "'cmp pull -q SERVICE' first" },
    '--remove-orphans': {
      reason: 'run leaves other containers alone',
      instead: "'cmp up --remove-orphans' or 'cmp down --remove-orphans'",
    },
  },
  stats: {
    '--no-trunc': {
      reason: 'cmp prints full container IDs only with --format json',
      instead: '--format json',
    },
  },
};

/** compose's global options cmp refuses, wherever they are given. */
export const REFUSED_GLOBALS: Readonly<Record<string, Refusal>> = {
  '--compatibility': {
    reason: 'compose v1 naming is not in cmp: containers are named PROJECT-SERVICE-N',
    instead: leaveOut,
  },
  '--parallel': { reason: 'cmp bounds its own parallelism', instead: leaveOut },
};

/** The refusal for `flag` of `command`, or of the global options. */
export function refusalOf(command: string, flag: string): Refusal | undefined {
  return REFUSED_FLAGS[command]?.[flag] ?? REFUSED_GLOBALS[flag];
}
