// The Dockerfile handed to buildah: only the stages the target needs, every image named as buildah's store
// knows it, and the syntax Debian 12's buildah (1.28) lacks turned into what it has: heredocs become a
// JSON-form RUN of the whole script or a COPY from a context of files cmp writes, `--link` is dropped, the
// `# syntax=` line goes (no frontend image is ever pulled). Every instruction stays on its own line
// number, unused ones become blank lines, so buildah's steps still map to the user's lines.
import { at, BuildError } from '../errors.js';
import { expand, jsonForm, type Flag, type Instruction } from './parse.js';
import type { Pruned, SourceRef, Stage, StageGraph } from './stages.js';

export const HEREDOC_CONTEXT = 'cmp-heredocs';

export interface RenderOptions {
  /** The name buildah's store has for an image reference of the Dockerfile. */
  imageName: (ref: string) => string;
  /** `os/arch` of this host: the only platform a FROM --platform may ask for. */
  hostPlatform: string;
  /** The ids of the secrets the build has, checked against RUN --mount=type=secret,required. */
  secretIds?: ReadonlySet<string>;
  /**
   * For the docker engine's classic builder, which has no extra contexts and no `RUN --mount`: heredoc
   * files are copied from this folder of the context, cache mounts are dropped (they only speed a build
   * up), and any other mount is a located error.
   */
  classic?: { heredocDir: string };
}

export interface Rendered {
  text: string;
  /** Files of the heredoc context (paths relative to it). */
  heredocFiles: { path: string; content: string }[];
  /** For each built stage in file order, the line of each buildah step (FROM first). */
  steps: number[][];
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function stageName(g: StageGraph, index: number): string {
  return g.stages[index]?.name ?? `cmp-stage-${index}`;
}

function refText(g: StageGraph, ref: SourceRef, opts: RenderOptions): string {
  switch (ref.kind) {
    case 'stage':
      return stageName(g, ref.index);
    case 'context':
      return ref.name;
    case 'scratch':
      return 'scratch';
    case 'image':
      return opts.imageName(ref.ref);
  }
}

function flagText(f: Flag): string {
  return f.value === undefined ? `--${f.name}` : `--${f.name}=${f.value}`;
}

export function renderDockerfile(g: StageGraph, pruned: Pruned, opts: RenderOptions): Rendered {
  const { df } = g;
  const out: string[] = df.lines.map(() => '');
  const keep = (ins: Instruction): void => {
    for (let l = ins.line; l <= ins.endLine; l++) out[l - 1] = df.lines[l - 1] as string;
  };
  const put = (ins: Instruction, text: string): void => {
    out[ins.line - 1] = text;
  };
  for (const l of df.directiveLines) out[l - 1] = df.lines[l - 1] as string;
  for (const ins of g.globalArgs) keep(ins);
  const heredocFiles: { path: string; content: string }[] = [];
  const steps: number[][] = [];
  const loc = (ins: Instruction): { location: ReturnType<typeof at> } => ({
    location: at(df.file, ins.line),
  });

  for (const index of pruned.needed) {
    const stage = g.stages[index] as Stage;
    steps.push([stage.from.line, ...stage.body.map((b) => b.line)]);
    for (const f of stage.from.flags) {
      if (f.name !== 'platform') throw new BuildError(`unknown flag --${f.name} on FROM`, loc(stage.from));
      const want = expand(f.value ?? '', g.globals, df.escape);
      if (want !== '' && !samePlatform(want, opts.hostPlatform)) {
        throw new BuildError(
          `FROM --platform=${want}: cmp builds for this host only (${opts.hostPlatform})`,
          loc(stage.from),
        );
      }
    }
    const base = pruned.bases.get(index) as SourceRef;
    put(stage.from, `FROM ${refText(g, base, opts)} AS ${stageName(g, index)}`);

    let shell = DEFAULT_SHELL;
    if (base.kind === 'stage') shell = stageShell(g.stages[base.index] as Stage) ?? shell;
    for (const ins of stage.body) {
      const reads = pruned.reads.get(ins) ?? [];
      if (ins.keyword === 'SHELL') shell = jsonForm(ins.args) ?? shell;
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const changed =
          ins.heredocs.length > 0 || ins.flags.some((f) => f.name === 'link' || f.name === 'from');
        if (!changed) {
          keep(ins);
          continue;
        }
        const flags = ins.flags
          .filter((f) => f.name !== 'link')
          .map((f) =>
            f.name === 'from' ? `--from=${refText(g, reads[0] as SourceRef, opts)}` : flagText(f),
          );
        let args = ins.args;
        if (ins.heredocs.length > 0) {
          if (ins.flags.some((f) => f.name === 'from')) {
            throw new BuildError(`${ins.keyword} cannot take both --from and a heredoc`, loc(ins));
          }
          for (const h of ins.heredocs) {
            if (!h.quoted && h.body.includes('$')) {
              throw new BuildError(
                `${ins.keyword} <<${h.name}: cmp does not expand variables in heredoc files yet; quote the delimiter (<<'${h.name}') to copy the text as it is`,
                loc(ins),
              );
            }
            heredocFiles.push({ path: `${ins.line}/${h.name}`, content: h.body });
          }
          let n = 0;
          const dir = opts.classic ? `${opts.classic.heredocDir}/` : '';
          args = args.replace(
            /(?<!<)<<(?!<)-?(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1/g,
            (_m, _q, name: string) => {
              n++;
              return `${dir}${ins.line}/${name}`;
            },
          );
          if (n !== ins.heredocs.length)
            throw new BuildError('heredoc markers do not match their bodies', loc(ins));
          if (!opts.classic) flags.unshift(`--from=${HEREDOC_CONTEXT}`);
        }
        put(ins, [ins.keyword, ...flags, args].join(' '));
      } else if (ins.keyword === 'RUN') {
        const mounts = ins.flags.some((f) => f.name === 'mount');
        if (ins.heredocs.length === 0 && reads.length === 0 && !(opts.classic && mounts)) {
          checkSecrets(ins, opts, loc(ins));
          keep(ins);
          continue;
        }
        let r = 0;
        const flags = ins.flags.map((f) => {
          if (f.name !== 'mount' || f.value === undefined) return flagText(f);
          const parts = f.value.split(',').map((p) => {
            const [k] = p.split('=', 1);
            return k === 'from' ? `from=${refText(g, reads[r++] as SourceRef, opts)}` : p;
          });
          return `--mount=${parts.join(',')}`;
        });
        const classic = opts.classic ? classicFlags(ins, loc(ins)) : undefined;
        checkSecrets(ins, opts, loc(ins));
        let command = ins.heredocs.length > 0 ? heredocCommand(ins, shell) : ins.args;
        if (classic && classic.cacheDirs.length > 0) command = withDirs(command, classic.cacheDirs);
        put(ins, ['RUN', ...(classic ? classic.flags : flags), command].join(' '));
      } else keep(ins);
    }
  }
  return { text: `${out.join('\n')}\n`, heredocFiles, steps };
}

/**
 * RUN's flags for the classic builder: cache mounts go (their folders are made, as a mount would make
 * them), other mounts cannot be honoured there.
 */
function classicFlags(
  ins: Instruction,
  where: { location: ReturnType<typeof at> },
): { flags: string[]; cacheDirs: string[] } {
  const out: string[] = [];
  const cacheDirs: string[] = [];
  for (const f of ins.flags) {
    if (f.name !== 'mount') {
      out.push(flagText(f));
      continue;
    }
    const type = /(?:^|,)type=([^,]*)/.exec(f.value ?? '')?.[1] ?? 'bind';
    if (type === 'cache') {
      const target = /(?:^|,)(?:target|dst|destination)=([^,]*)/.exec(f.value ?? '')?.[1];
      if (target) cacheDirs.push(target);
      continue;
    }
    throw new BuildError(
      `RUN --mount=type=${type} cannot be honoured by the docker engine's classic builder, which cmp's docker runtime uses`,
      { ...where, hint: 'build it with the embedded runtime, or drop the mount' },
    );
  }
  return { flags: out, cacheDirs };
}

/** The command, run after making `dirs`: shell form gets a prefix, JSON form runs through sh. */
function withDirs(command: string, dirs: string[]): string {
  const mkdir = `mkdir -p ${dirs.map((d) => `'${d.replace(/'/g, `'\\''`)}'`).join(' ')}`;
  const json = jsonForm(command);
  if (!json) return `${mkdir} && ${command}`;
  return JSON.stringify(['/bin/sh', '-c', `${mkdir} && exec "$0" "$@"`, ...json]);
}

function stageShell(stage: Stage): string[] | undefined {
  let shell: string[] | undefined;
  for (const ins of stage.body) if (ins.keyword === 'SHELL') shell = jsonForm(ins.args) ?? shell;
  return shell;
}

/**
 * A RUN with heredocs as one JSON-form command: the shell gets the command line followed by the bodies,
 * which is the script a shell reads for `cmd <<EOF`. A RUN that is only `<<EOF` runs the body itself, by
 * the interpreter its `#!` line names, else by the stage's shell.
 */
function heredocCommand(ins: Instruction, shell: string[]): string {
  const only = /^<<-?(["']?)[A-Za-z_][A-Za-z0-9_.-]*\1$/.test(ins.args.trim()) && ins.heredocs.length === 1;
  if (only) {
    const body = (ins.heredocs[0] as { body: string }).body;
    const bang = /^#!\s*(.+)\n/.exec(body);
    if (bang) return JSON.stringify([...(bang[1] as string).trim().split(/\s+/), '-c', body]);
    return JSON.stringify([...shell, body]);
  }
  const script = [ins.args, ...ins.heredocs.map((h) => `${h.body}${h.name}`)].join('\n');
  return JSON.stringify([...shell, script]);
}

/** A required secret mount the build has no secret for fails here rather than as an empty file. */
function checkSecrets(
  ins: Instruction,
  opts: RenderOptions,
  where: { location: ReturnType<typeof at> },
): void {
  for (const f of ins.flags) {
    if (f.name !== 'mount' || f.value === undefined) continue;
    const kv = new Map(
      f.value.split(',').map((p) => [p.split('=', 1)[0] as string, p.slice(p.indexOf('=') + 1)]),
    );
    if (kv.get('type') !== 'secret') continue;
    const id = kv.get('id') ?? kv.get('target')?.split('/').pop() ?? '';
    const req = kv.get('required');
    const required = kv.has('required') && (req === 'required' || req === 'true' || req === '');
    if (required && !opts.secretIds?.has(id)) {
      throw new BuildError(
        `RUN --mount=type=secret,id=${id} is required, and the build has no secret "${id}"`,
        {
          ...where,
          hint: "add it under the service's build.secrets",
        },
      );
    }
  }
}

function samePlatform(want: string, host: string): boolean {
  const [wos, warch] = want.split('/');
  const [hos, harch] = host.split('/');
  return wos === hos && warch === harch;
}
