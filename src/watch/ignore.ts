// Which changed paths a watch rule reacts to: editor scratch files and `.git` never, then the build
// context's .dockerignore, the rule's own `ignore`, and (when given) only what `include` names.
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { isIgnored, parseDockerignore, type IgnoreRule } from '../build/dockerignore.js';
import type { WatchRule } from '../model/types.js';

/** Temp and lock files editors write next to the real ones (Vim, Emacs, JetBrains, Kate, GNOME, macOS). */
const EDITOR_NOISE: RegExp[] = [
  /^\..*\.sw[a-p]$/, // vim swap files: .file.swp, .file.swo ...
  /\.sw[opx]$/,
  /~$/, // vim/emacs backups
  /^\.#/, // emacs lock links
  /^#.*#$/, // emacs auto-save
  /^4913$/, // vim's "can I write here" probe
  /___jb_(old|tmp)___$/, // JetBrains safe-write
  /\.kate-swp$/,
  /^\.goutputstream-/,
  /^\.DS_Store$/,
];

export function isEditorNoise(path: string): boolean {
  const name = basename(path);
  return EDITOR_NOISE.some((re) => re.test(name));
}

/** `rel` inside `base`, with `/` separators, or undefined when `path` is outside it. */
export function relativeInside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel === '') return '';
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

export function isInGitDir(rel: string): boolean {
  return rel.split('/').includes('.git');
}

export interface RuleFilterInput {
  rule: WatchRule;
  /** The service's build context (absolute), when it has one on disk. */
  buildContext?: string;
  /** The text of that context's .dockerignore, if there is one. */
  dockerignore?: string;
}

/** A predicate over absolute host paths: true when a change there concerns the rule. */
export type PathFilter = (path: string) => boolean;

export function ruleFilter(input: RuleFilterInput): PathFilter {
  const { rule } = input;
  const contextRules: IgnoreRule[] = input.dockerignore ? parseDockerignore(input.dockerignore) : [];
  const ignoreRules = parseDockerignore((rule.ignore ?? []).join('\n'));
  const includeRules =
    rule.include && rule.include.length > 0 ? parseDockerignore(rule.include.join('\n')) : undefined;
  return (path) => {
    const rel = relativeInside(rule.path, path);
    if (rel === undefined) return false;
    if (isEditorNoise(path) || isInGitDir(rel)) return false;
    if (input.buildContext && contextRules.length > 0) {
      const inContext = relativeInside(input.buildContext, path);
      if (inContext !== undefined && inContext !== '' && isIgnored(contextRules, inContext)) return false;
    }
    if (rel === '') return true;
    if (isIgnored(ignoreRules, rel)) return false;
    if (includeRules && !isIgnored(includeRules, rel)) return false;
    return true;
  };
}

/** The build context's .dockerignore text, if the service builds from a local folder that has one. */
export async function readDockerignore(context: string | undefined): Promise<string | undefined> {
  if (!context || /^[a-z]+:\/\//.test(context) || context.startsWith('git@')) return undefined;
  return readFile(join(context, '.dockerignore'), 'utf8').catch(() => undefined);
}
