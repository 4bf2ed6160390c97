// `ip` lines for the host's namespace from concurrent callers go to one `ip -batch` process. An `up`
// attaches every new container at once, and each `ip` process costs a fork of the CLI and a program start
// on a machine that is already busy with runc; the containers' veths then share one or two processes.
import { tryRun } from '../../../util/exec.js';
import { RuntimeError } from '../../../util/errors.js';

interface Request {
  lines: string[];
  /** A failed line is an error for this request (creating); otherwise it is ignored (removing). */
  strict: boolean;
  settle: (error?: Error) => void;
}

let queue: Request[] = [];
let draining = false;

/** Runs the lines in the host's namespace, in order, in a batch shared with other callers' lines. */
export function hostBatch(lines: readonly string[], opts: { strict: boolean }): Promise<void> {
  if (lines.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    queue.push({ lines: [...lines], strict: opts.strict, settle: (e) => (e ? reject(e) : resolve()) });
    if (!draining) void drain();
  });
}

async function drain(): Promise<void> {
  draining = true;
  try {
    // Callers working in the same turn of the event loop join the first batch; later ones the next.
    await new Promise((r) => setImmediate(r));
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      await runGroup(group);
    }
  } finally {
    draining = false;
  }
}

async function runGroup(group: Request[]): Promise<void> {
  const lines = group.flatMap((r) => r.lines);
  // -force: one caller's failed line must not skip the lines of the others.
  const res = await tryRun('ip', ['-force', '-batch', '-'], { input: `${lines.join('\n')}\n` });
  const failures = failedLines(res.stderr);
  const unexplained = res.exitCode !== 0 && failures.size === 0;
  let first = 1;
  for (const r of group) {
    const mine: string[] = [];
    for (let n = first; n < first + r.lines.length; n++) {
      const why = failures.get(n);
      if (why !== undefined) mine.push(`${r.lines[n - first]}: ${why}`);
    }
    first += r.lines.length;
    if (r.strict && (mine.length > 0 || unexplained)) {
      const why = mine.length > 0 ? mine.join('; ') : res.stderr.trim() || `exit code ${res.exitCode}`;
      r.settle(new RuntimeError(`ip -batch: ${why}`, { exitCode: 1 }));
    } else {
      r.settle();
    }
  }
}

/** `ip -force -batch` reports each failed line as its messages followed by "Command failed -:<line>". */
export function failedLines(stderr: string): Map<number, string> {
  const out = new Map<number, string>();
  let messages: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^Command failed -:(\d+)$/.exec(line.trim());
    if (m) {
      out.set(Number(m[1]), messages.join(' ').trim() || 'failed');
      messages = [];
    } else if (line.trim() !== '') {
      messages.push(line.trim());
    }
  }
  return out;
}
