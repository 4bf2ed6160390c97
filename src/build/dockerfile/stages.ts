// The stage graph of a Dockerfile: which stage is built on which (FROM <stage>), and which reads from which
// (COPY/ADD --from, RUN --mount=from=). Only the stages the target reaches are looked into, so a stage
// nobody needs may name images that do not exist or flags this builder does not know.
import type { SourceLocation } from '../../model/types.js';
import { at, BuildError } from '../errors.js';
import { expand, keyValues, type Dockerfile, type Instruction } from './parse.js';

export interface Stage {
  index: number;
  /** Lower-cased, as Docker compares stage names. */
  name?: string;
  from: Instruction;
  body: Instruction[];
}

export type SourceRef =
  | { kind: 'stage'; index: number }
  | { kind: 'context'; name: string }
  | { kind: 'image'; ref: string }
  | { kind: 'scratch' };

export interface StageGraph {
  df: Dockerfile;
  /** The ARGs before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  /** What FROM and --from see: the global ARGs (build args over defaults) and the automatic platform args. */
  globals: Record<string, string>;
}

export interface Pruned {
  target: number;
  /** Indexes of the stages to build, in file order. */
  needed: number[];
  /** What each needed stage's FROM names. */
  bases: Map<number, SourceRef>;
  /** What each --from (COPY/ADD) and RUN --mount from= of the needed stages names, by instruction. */
  reads: Map<Instruction, SourceRef[]>;
}

const STAGE_NAME_RE = /^[a-z][a-z0-9._-]*$/;

export function stageGraph(
  df: Dockerfile,
  buildArgs: Readonly<Record<string, string>>,
  automatic: Readonly<Record<string, string>> = {},
): StageGraph {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  const globals: Record<string, string> = { ...automatic };
  for (const ins of df.instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter(Boolean);
      const named = words.length === 3 && words[1]?.toLowerCase() === 'as';
      const name = named ? (words[2] as string).toLowerCase() : undefined;
      if (name !== undefined) {
        if (!STAGE_NAME_RE.test(name)) {
          throw new BuildError(`invalid stage name "${words[2]}"`, { location: at(df.file, ins.line) });
        }
        if (stages.some((s) => s.name === name)) {
          throw new BuildError(`duplicate stage name "${name}"`, { location: at(df.file, ins.line) });
        }
      }
      stages.push({ index: stages.length, ...(name ? { name } : {}), from: ins, body: [] });
    } else if (stages.length > 0) {
      (stages[stages.length - 1] as Stage).body.push(ins);
    } else if (ins.keyword === 'ARG') {
      globalArgs.push(ins);
      for (const { key, value } of keyValues(ins.args)) {
        const given = buildArgs[key];
        if (given !== undefined) globals[key] = given;
        else if (value !== undefined) globals[key] = expand(value, globals, df.escape);
      }
    } else {
      throw new BuildError(`${ins.keyword} before the first FROM (only ARG may come first)`, {
        location: at(df.file, ins.line),
      });
    }
  }
  if (stages.length === 0) {
    throw new BuildError('the Dockerfile has no FROM instruction', { location: at(df.file, 1) });
  }
  return { df, globalArgs, stages, globals };
}

/** The base image word of a FROM, expanded. */
export function fromWord(g: StageGraph, stage: Stage): string {
  const words = stage.from.args.split(/\s+/).filter(Boolean);
  if (words.length !== 1 && !(words.length === 3 && words[1]?.toLowerCase() === 'as')) {
    throw new BuildError('FROM takes an image and an optional AS name', {
      location: at(g.df.file, stage.from.line),
    });
  }
  const word = expand(words[0] as string, g.globals, g.df.escape);
  if (word === '') {
    throw new BuildError(`FROM ${words[0]} expands to an empty image name`, {
      location: at(g.df.file, stage.from.line),
    });
  }
  return word;
}

function resolveRef(
  g: StageGraph,
  word: string,
  contexts: ReadonlySet<string>,
  ins: Instruction,
  numeric: boolean,
): SourceRef {
  if (numeric && /^\d+$/.test(word)) {
    const index = Number(word);
    if (index >= g.stages.length) {
      throw new BuildError(`--from=${word} names no stage (the file has ${g.stages.length})`, {
        location: at(g.df.file, ins.line),
      });
    }
    return { kind: 'stage', index };
  }
  const lower = word.toLowerCase();
  const stage = g.stages.find((s) => s.name === lower);
  if (stage) return { kind: 'stage', index: stage.index };
  if (contexts.has(word)) return { kind: 'context', name: word };
  if (lower === 'scratch') return { kind: 'scratch' };
  return { kind: 'image', ref: word };
}

/** The `from=` of each `--mount` flag of a RUN. */
export function mountSources(ins: Instruction): string[] {
  const out: string[] = [];
  for (const f of ins.flags) {
    if (f.name !== 'mount' || f.value === undefined) continue;
    for (const part of f.value.split(',')) {
      const [k, v] = part.split('=', 2);
      if (k === 'from' && v) out.push(v);
    }
  }
  return out;
}

function readsOf(g: StageGraph, ins: Instruction, contexts: ReadonlySet<string>): SourceRef[] {
  const words: string[] = [];
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    for (const f of ins.flags) if (f.name === 'from' && f.value) words.push(f.value);
  } else if (ins.keyword === 'RUN') words.push(...mountSources(ins));
  return words.map((w) => resolveRef(g, expand(w, g.globals, g.df.escape), contexts, ins, true));
}

/**
 * The stages `target` needs (the last stage when none is given). A cycle is an error at the instruction
 * that closes it; `targetLocation` is where the target was asked for (the compose file's `target:`).
 */
export function pruneTo(
  g: StageGraph,
  target: string | undefined,
  contexts: ReadonlySet<string> = new Set(),
  targetLocation?: SourceLocation,
): Pruned {
  let top = g.stages.length - 1;
  if (target !== undefined) {
    const found = g.stages.find((s) => s.name === target.toLowerCase());
    if (!found) {
      throw new BuildError(`target stage "${target}" is not in ${g.df.file}`, {
        location: targetLocation ?? at(g.df.file, 1),
      });
    }
    top = found.index;
  }
  const bases = new Map<number, SourceRef>();
  const reads = new Map<Instruction, SourceRef[]>();
  const state = new Map<number, 'open' | 'done'>();
  const label = (i: number): string => g.stages[i]?.name ?? `#${i}`;
  const visit = (index: number, path: number[]): void => {
    if (state.get(index) === 'done') return;
    const stage = g.stages[index] as Stage;
    state.set(index, 'open');
    const edges: { ref: SourceRef; ins: Instruction }[] = [];
    const base = resolveRef(g, fromWord(g, stage), contexts, stage.from, false);
    bases.set(index, base);
    edges.push({ ref: base, ins: stage.from });
    for (const ins of stage.body) {
      const r = readsOf(g, ins, contexts);
      if (r.length > 0) reads.set(ins, r);
      for (const ref of r) edges.push({ ref, ins });
    }
    for (const { ref, ins } of edges) {
      if (ref.kind !== 'stage') continue;
      if (state.get(ref.index) === 'open') {
        const chain = [...path, index];
        const cycle = [...chain.slice(chain.indexOf(ref.index)), ref.index].map(label);
        throw new BuildError(`stages form a cycle: ${cycle.join(' -> ')}`, {
          location: at(g.df.file, ins.line),
        });
      }
      visit(ref.index, [...path, index]);
    }
    state.set(index, 'done');
  };
  visit(top, []);
  const needed = [...state.keys()].sort((a, b) => a - b);
  return { target: top, needed, bases, reads };
}
