// MemoryRuntime plus what the CLI tests need: scripted log lines and events.
import { afterEach } from 'vitest';
import { MemoryRuntime } from '../../fakes/memory-runtime.js';
import type { LogLine, LogOptions, RuntimeEvent } from '../../../src/runtime/types.js';
import type { CommandIO } from '../../../src/cli/commands/common.js';

export class CliRuntime extends MemoryRuntime {
  private readonly lines = new Map<string, LogLine[]>();
  readonly scriptedEvents: RuntimeEvent[] = [];

  say(container: string, time: number, line: string): this {
    this.lines.set(container, [...(this.lines.get(container) ?? []), { time, line, stream: 'stdout' }]);
    return this;
  }

  override async *logs(id = '', opts: LogOptions = { follow: false }): AsyncIterable<LogLine> {
    const c = await this.inspectContainer(id);
    if (!c) return;
    let list = (this.lines.get(c.name) ?? []).filter(
      (l) =>
        (opts.sinceMs === undefined || l.time >= opts.sinceMs) &&
        (opts.untilMs === undefined || l.time < opts.untilMs),
    );
    if (opts.tail !== undefined) list = list.slice(Math.max(0, list.length - opts.tail));
    for (const l of list) yield l;
    if (!opts.follow) return;
    // Follow ends when the container stops, as docker's does.
    await this.waitContainer(id, opts.signal).catch(() => undefined);
  }

  override async *events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    for (const e of this.scriptedEvents) {
      if (signal.aborted) return;
      yield e;
    }
  }
}

export interface Captured extends CommandIO {
  stdout: string;
  stderr: string;
}

export function capture(extra: Partial<CommandIO> = {}): Captured {
  const io: Captured = {
    stdout: '',
    stderr: '',
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
    ...extra,
  };
  return io;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A maker of runtimes for one test file: each runtime it makes is disposed of after its test. */
export function runtimesDisposedAfterEach<T extends MemoryRuntime>(make: () => T): () => T {
  const made: T[] = [];
  afterEach(() => {
    for (const rt of made.splice(0)) rt.dispose();
  });
  return () => {
    const rt = make();
    made.push(rt);
    return rt;
  };
}
