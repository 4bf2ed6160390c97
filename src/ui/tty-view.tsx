// The ink view: one row per resource with a spinner while it works, its status, pull bytes and bar,
// and elapsed time. Only tty-progress.ts imports this module, and only dynamically.
import { Box, render, Text } from 'ink';
import { useEffect, useState, type ReactElement } from 'react';
import type { OutStream } from './ansi.js';
import { bar, bytes, seconds } from './format.js';
import { kindLabel, type LineState, type ResourceLine } from './resource-lines.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

const MARK: Record<Exclude<LineState, 'working'>, { text: string; color: string }> = {
  done: { text: '✔', color: 'green' },
  warning: { text: '!', color: 'yellow' },
  error: { text: '✘', color: 'red' },
};

interface ViewProps {
  lines: ResourceLine[];
  finished: boolean;
  color: boolean;
}

function ProgressView({ lines, finished, color }: ViewProps): ReactElement {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (finished) return undefined;
    const timer = setInterval(() => setNow(Date.now()), FRAME_MS);
    return () => clearInterval(timer);
  }, [finished]);

  const settled = lines.filter((l) => l.state !== 'working').length;
  const labelWidth = Math.max(0, ...lines.map((l) => label(l).length));
  const tint = (c: string): string | undefined => (color ? c : undefined);
  // A row still working when the operation ended was cut short (Ctrl-C, or a failure elsewhere): the
  // last frame says so rather than leave it looking as if it were still going on.
  const header = !finished ? 'Running' : settled === lines.length ? 'Done' : 'Incomplete';
  return (
    <Box flexDirection="column">
      <Text>
        [+] {header} {settled}/{lines.length}
      </Text>
      {lines.map((l) => {
        const working = l.state === 'working' && !finished;
        const cut = l.state === 'working' && finished;
        const mark = l.state === 'working' ? undefined : MARK[l.state];
        const icon = working
          ? (SPINNER[Math.floor(now / FRAME_MS) % SPINNER.length] ?? ' ')
          : (mark?.text ?? '-');
        const elapsed = (working || cut ? now : l.lastAt) - l.firstAt;
        return (
          <Box key={l.id}>
            <Text color={mark ? tint(mark.color) : undefined}>{` ${icon} `}</Text>
            <Text>{label(l).padEnd(labelWidth)}</Text>
            <Box flexGrow={1} marginLeft={2}>
              <Text color={mark ? tint(mark.color) : undefined} wrap="truncate-end">
                {l.status}
                {pullText(l)}
                {l.detail && l.state !== 'done' ? ` ${l.detail}` : ''}
                {cut ? ' (not finished)' : ''}
              </Text>
            </Box>
            <Text color={tint('gray')}>{` ${seconds(elapsed)}`}</Text>
          </Box>
        );
      })}
    </Box>
  );
}

function label(l: ResourceLine): string {
  return `${kindLabel(l.kind)} ${l.name}`;
}

function pullText(l: ResourceLine): string {
  if (l.kind !== 'image' || l.current === undefined || l.state !== 'working') return '';
  if (!l.total) return ` ${bytes(l.current)}`;
  return ` ${bar(l.current / l.total, 20)} ${bytes(l.current)}/${bytes(l.total)}`;
}

export interface MountedView {
  update(lines: ResourceLine[]): void;
  finish(lines: ResourceLine[]): Promise<void>;
}

export function mountProgressView(out: OutStream, lines: ResourceLine[], color: boolean): MountedView {
  const instance = render(<ProgressView lines={lines} finished={false} color={color} />, {
    // ink types want a full WriteStream; it only writes to it and reads `columns`/`rows`/`isTTY`.
    stdout: out as NodeJS.WriteStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  return {
    update(next) {
      instance.rerender(<ProgressView lines={next} finished={false} color={color} />);
    },
    async finish(next) {
      instance.rerender(<ProgressView lines={next} finished={true} color={color} />);
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
