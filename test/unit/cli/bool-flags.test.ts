// compose's boolean flags take `=true`/`=false` (cobra); cmp's command line reads them the same way.
import { describe, expect, it } from 'vitest';
import { boolFlagValues } from '../../../src/cli/compose-flags.js';
import { buildProgram } from '../../../src/cli/program.js';

const rewrite = (...args: string[]): string[] => boolFlagValues(buildProgram(), args);

describe('boolean flags with a value', () => {
  it('reads --x=true as --x and --x=false as its absence', () => {
    expect(rewrite('up', '-d', '--build=true', '--no-deps=false')).toEqual(['up', '-d', '--build']);
    expect(rewrite('--dry-run=true', 'down')).toEqual(['--dry-run', 'down']);
  });

  it('reads run --no-TTY=false as run --tty (compose forces a terminal)', () => {
    expect(rewrite('run', '--no-TTY=false', 'app', 'true')).toEqual(['run', '--tty', 'app', 'true']);
    expect(rewrite('run', '--no-TTY=true', 'app')).toEqual(['run', '--no-TTY', 'app']);
  });

  it("never touches the container's command or an option's value", () => {
    expect(rewrite('run', 'app', 'echo', '--no-TTY=false')).toEqual(['run', 'app', 'echo', '--no-TTY=false']);
    expect(rewrite('run', '-e', '--rm=false', 'app')).toEqual(['run', '-e', '--rm=false', 'app']);
    expect(rewrite('exec', 'app', '--', 'x', '--detach=true')).toEqual([
      'exec',
      'app',
      '--',
      'x',
      '--detach=true',
    ]);
  });

  it('leaves a value on an option that takes one to that option', () => {
    expect(rewrite('logs', '--tail=false')).toEqual(['logs', '--tail=false']);
  });
});
