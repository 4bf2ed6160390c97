// Entry point for progress output. The live (ink) view is imported lazily so that plain, json and
// quiet runs never load React.
import { colorEnabled, type Env, type OutStream } from './ansi.js';
import { jsonProgress } from './json-progress.js';
import { plainProgress } from './plain-progress.js';
import { concreteMode, type ProgressMode } from './progress-mode.js';
import type { Progress } from './progress-types.js';
import { ttyProgress } from './tty-progress.js';

export type { Progress } from './progress-types.js';

export interface ProgressStreams {
  stdout: OutStream;
  /** Progress goes here, as with compose, so stdout stays free for command output. */
  stderr: OutStream;
  env?: Env;
  /** A live view starts drawing only once this settles (the previous view's final frame). */
  after?: Promise<unknown>;
}

export function createProgress(mode: ProgressMode, streams: ProgressStreams): Progress {
  const env = streams.env ?? process.env;
  const out = streams.stderr;
  const write = (text: string): void => void out.write(text);
  switch (concreteMode(mode, out, env)) {
    case 'tty':
      return ttyProgress(out, env, streams.after);
    case 'plain':
      return plainProgress(write, colorEnabled(out, env));
    case 'json':
      return jsonProgress(write);
    case 'quiet':
      return { onEvent: () => undefined, done: () => Promise.resolve() };
  }
}
