// `cmp commit -c INSTRUCTION`: the Dockerfile instructions a commit may apply to the new image's config,
// read with cmp's own Dockerfile parser so a bad one is refused (naming which `-c`) before anything is
// written, on either runtime. The embedded runtime applies them here; the docker engine gets the text.
import { at, BuildError } from './errors.js';
import { expand, jsonForm, keyValues, parseDockerfile } from './dockerfile/parse.js';

/** The config fields of an image (Docker's names, as the image config JSON has them). */
export interface CommitConfig {
  Env?: string[];
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, object>;
  StopSignal?: string;
}

export interface CommitRequest {
  /** `REPOSITORY[:TAG]`; without it the image is stored untagged. */
  ref?: string;
  message?: string;
  author?: string;
  /** Pause the container while its files are read (docker's default). */
  pause: boolean;
  /** The `-c` texts as given (the docker engine parses them itself). */
  changes: string[];
}

/** What docker accepts after `-c` (moby's validCommitCommands minus HEALTHCHECK and ONBUILD). */
const ALLOWED = new Set([
  'ENV',
  'CMD',
  'ENTRYPOINT',
  'WORKDIR',
  'USER',
  'EXPOSE',
  'LABEL',
  'VOLUME',
  'STOPSIGNAL',
]);

/** Checks every `-c`; the location names the flag (`-c #2`), since the text comes from the command line. */
export function checkChanges(changes: readonly string[]): void {
  applyChanges({}, changes);
}

/** The config with `changes` applied in order, as a Dockerfile would after the image's last line. */
export function applyChanges(base: CommitConfig, changes: readonly string[]): CommitConfig {
  const cfg: CommitConfig = structuredClone(base);
  for (const [i, text] of changes.entries()) {
    const where = `-c #${i + 1}`;
    const fail = (msg: string): never => {
      throw new BuildError(msg, { location: at(where, 0) });
    };
    const df = parseDockerfile(text, where);
    const [ins, more] = df.instructions;
    if (!ins) fail('empty change');
    if (more) fail('one instruction per -c');
    const { keyword, args, flags } = ins as NonNullable<typeof ins>;
    if (!ALLOWED.has(keyword)) {
      fail(`${keyword} cannot be applied by a commit (use one of ${[...ALLOWED].join(', ')})`);
    }
    if (flags.length > 0 || args === '') fail(`${keyword} needs an argument`);
    const env = envMap(cfg.Env ?? []);
    const word = (s: string): string => expand(s, env);
    switch (keyword) {
      case 'ENV': {
        const pairs = args.includes('=') ? keyValues(args) : oldStylePair(args);
        for (const { key, value } of pairs) {
          if (value === undefined) fail(`ENV ${key} has no value`);
          env[key] = word(value as string);
        }
        cfg.Env = Object.entries(env).map(([k, v]) => `${k}=${v}`);
        break;
      }
      case 'CMD':
        cfg.Cmd = jsonForm(args) ?? ['/bin/sh', '-c', args];
        break;
      case 'ENTRYPOINT':
        cfg.Entrypoint = jsonForm(args) ?? ['/bin/sh', '-c', args];
        break;
      case 'WORKDIR': {
        const dir = word(args);
        cfg.WorkingDir = dir.startsWith('/') ? dir : `${(cfg.WorkingDir ?? '/').replace(/\/$/, '')}/${dir}`;
        break;
      }
      case 'USER':
        cfg.User = word(args);
        break;
      case 'STOPSIGNAL':
        cfg.StopSignal = word(args);
        break;
      case 'EXPOSE':
        for (const p of args.split(/\s+/).map(word)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(p)) fail(`EXPOSE: invalid port "${p}"`);
          cfg.ExposedPorts = { ...cfg.ExposedPorts, [p.includes('/') ? p.toLowerCase() : `${p}/tcp`]: {} };
        }
        break;
      case 'LABEL':
        for (const { key, value } of keyValues(args)) {
          if (value === undefined) fail(`LABEL ${key} has no value`);
          cfg.Labels = { ...cfg.Labels, [word(key)]: word(value as string) };
        }
        break;
      case 'VOLUME':
        for (const v of jsonForm(args) ?? args.split(/\s+/)) cfg.Volumes = { ...cfg.Volumes, [word(v)]: {} };
        break;
    }
  }
  return cfg;
}

function envMap(env: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    const eq = e.indexOf('=');
    if (eq > 0) out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

/** `ENV NAME value with spaces`, the form without `=`. */
function oldStylePair(args: string): { key: string; value?: string }[] {
  const m = /^(\S+)\s+([\s\S]*)$/.exec(args);
  return m ? [{ key: m[1] as string, value: m[2] as string }] : [{ key: args }];
}
