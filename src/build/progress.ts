// Reads buildah's output: which step runs (mapped back to the user's Dockerfile line), which came from the
// cache, and on failure one located line naming the step and buildah's reason.
import { at, BuildError } from './errors.js';

export interface StepEvent {
  /** `Step 2/5: RUN make` or `CACHED`. */
  status: string;
  line?: number;
}

const STEP_RE = /^(?:\[(\d+)\/\d+\] )?STEP (\d+)\/(\d+): (.*)$/;

export class StepTracker {
  private stage = 0;
  private step = 0;
  private readonly output: string[] = [];

  constructor(
    private readonly file: string,
    /** Per built stage, the line of each step (render.ts's `steps`). */
    private readonly steps: number[][],
    /** The user's Dockerfile, whose lines are shown rather than the rewritten ones buildah prints. */
    private readonly lines: readonly string[] = [],
  ) {}

  /** The event a line of buildah's output stands for, if any. */
  feed(text: string): StepEvent | undefined {
    const m = STEP_RE.exec(text);
    if (m) {
      this.stage = m[1] ? Number(m[1]) - 1 : 0;
      this.step = Number(m[2]) - 1;
      this.output.length = 0;
      const line = this.currentLine();
      const text = (line ? this.lines[line - 1]?.trim() : undefined) ?? (m[4] as string);
      return { status: `Step ${m[2]}/${m[3]}: ${text}`, ...(line ? { line } : {}) };
    }
    if (text.startsWith('--> Using cache')) return { status: 'CACHED' };
    if (
      !text.startsWith('--> ') &&
      !text.startsWith('Error: ') &&
      !/^COMMIT\b|^\[\d+\/\d+\] COMMIT/.test(text)
    ) {
      this.output.push(text);
      if (this.output.length > 20) this.output.shift();
    }
    return undefined;
  }

  private currentLine(): number | undefined {
    return this.steps[this.stage]?.[this.step];
  }

  /** The error for a failed build, from the lines buildah printed last. */
  failure(tail: string[]): BuildError {
    const errLine =
      [...tail].reverse().find((l) => l.startsWith('Error: ')) ?? tail.at(-1) ?? 'buildah failed';
    let why = errLine.replace(/^Error: /, '');
    let what = '';
    const m = /^building at STEP "([^"]*)": (.*)$/.exec(why);
    if (m) {
      what = `${(m[1] as string).split(/\s+/)[0]} failed: `;
      why = (m[2] as string).replace(/^while running runtime: /, '');
    }
    const last = this.output.filter((l) => l.trim() !== '').at(-1);
    const line = this.currentLine();
    return new BuildError(`${what}${why}`, {
      ...(line ? { location: at(this.file, line) } : {}),
      ...(last && m ? { hint: `last output: ${last.trim().slice(0, 200)}` } : {}),
    });
  }
}
