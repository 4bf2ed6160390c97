// The lint contract: rules read a loaded project (plus the raw files, for what normalisation erases)
// and return findings; the runner applies the configured severities and locates each finding.
import type { Project, SourceLocation } from '../model/types.js';
import type { ParsedFile } from '../loader/parse.js';

/** `info` exists only as a default: the x-cmp config can set a rule to off, warning or error. */
export type Severity = 'error' | 'warning' | 'info';

export type ModelPath = readonly (string | number)[];

/** The project's files as written, for what normalisation erases (lint/sources.ts reads them). */
export interface LintSources {
  files: readonly ParsedFile[];
  /** Where the value at a model path was written (the deepest part of the path found), if anywhere. */
  locate(path: ModelPath): SourceLocation | undefined;
  /** The value as written in the last file that has the whole path, before interpolation and normalisation. */
  raw(path: ModelPath): unknown;
}

/** What a rule reports; the runner adds the rule id, severity and location. */
export interface RuleHit {
  /** The service the finding is about; `cmp lint web` keeps only findings about the services named. */
  service?: string;
  /** Path in the model (compose key names), located in the files the value came from. */
  path: ModelPath;
  message: string;
  /** The concrete change that removes the finding. */
  fix: string;
}

export interface Finding extends RuleHit {
  rule: string;
  severity: Severity;
  location?: SourceLocation;
}

export interface LintRule {
  id: string;
  severity: Severity;
  /** One line: why this is a pitfall. */
  why: string;
  /** One line: the general fix (each hit carries its own concrete one). */
  fix: string;
  check(ctx: LintContext): RuleHit[];
}

/** The runtime a project is linted for: some attributes are applied by one runtime only. */
export type LintRuntime = 'embedded' | 'docker';

export interface LintContext {
  project: Project;
  sources: LintSources;
  /** Default embedded, as for `up`. */
  runtime?: LintRuntime;
}
