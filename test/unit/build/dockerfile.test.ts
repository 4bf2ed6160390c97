import { describe, expect, it } from 'vitest';
import { BuildError } from '../../../src/build/errors.js';
import { planDockerfile, renderDockerfile } from '../../../src/build/dockerfile/index.js';
import { expand, parseDockerfile } from '../../../src/build/dockerfile/parse.js';

const F = '/ctx/Dockerfile';
const HOST = 'linux/amd64';
const local = (ref: string): string => `local/${ref}`;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BuildError) return e.format();
    throw e;
  }
  throw new Error('no error');
}

function render(text: string, opts: Parameters<typeof planDockerfile>[2] = {}): string {
  const p = planDockerfile(text, F, opts);
  return renderDockerfile(p.graph, p.pruned, { imageName: local, hostPlatform: HOST }).text;
}

describe('Dockerfile parsing', () => {
  it('joins continuations, skips comments inside them, and records the lines each instruction spans', () => {
    const df = parseDockerfile('FROM busybox\nRUN echo a \\\n# a comment\n  && echo b\n\nCMD ["x"]\n', F);
    expect(df.instructions.map((i) => [i.keyword, i.line, i.endLine, i.args])).toEqual([
      ['FROM', 1, 1, 'busybox'],
      ['RUN', 2, 4, 'echo a   && echo b'],
      ['CMD', 6, 6, '["x"]'],
    ]);
  });

  it('reads the escape directive, and the syntax directive without acting on it', () => {
    const df = parseDockerfile('# syntax=docker/dockerfile:1.6\n# escape=`\nFROM x\nRUN a `\n b\n', F);
    expect(df.escape).toBe('`');
    expect(df.syntax).toEqual({ value: 'docker/dockerfile:1.6', line: 1 });
    expect(df.instructions[1]?.args).toBe('a  b');
  });

  it('reads heredocs, with <<- stripping tabs and quoted delimiters noted', () => {
    const df = parseDockerfile("FROM x\nRUN <<-EOF cat <<'B'\n\techo 1\n\tEOF\nliteral $x\nB\nCMD y\n", F);
    const run = df.instructions[1];
    expect(run?.heredocs).toEqual([
      { name: 'EOF', quoted: false, stripTabs: true, body: 'echo 1\n' },
      { name: 'B', quoted: true, stripTabs: false, body: 'literal $x\n' },
    ]);
    expect([run?.line, run?.endLine]).toEqual([2, 6]);
    expect(df.instructions[2]?.line).toBe(7);
  });

  it('separates flags from arguments', () => {
    const df = parseDockerfile('FROM x\nCOPY --link --chown=1:1 --from=b /a /b\n', F);
    expect(df.instructions[1]?.flags).toEqual([
      { name: 'link' },
      { name: 'chown', value: '1:1' },
      { name: 'from', value: 'b' },
    ]);
    expect(df.instructions[1]?.args).toBe('/a /b');
  });

  it('gives located errors for unknown instructions and unterminated heredocs', () => {
    expect(errorOf(() => parseDockerfile('FROM x\n\nRUNN echo\n', F))).toBe(
      '/ctx/Dockerfile:3:1: unknown instruction: RUNN',
    );
    expect(errorOf(() => parseDockerfile('FROM x\nRUN <<EOF\necho\n', F))).toBe(
      '/ctx/Dockerfile:2:1: heredoc <<EOF is not terminated',
    );
  });

  it('expands $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alt}, keeping escaped dollars', () => {
    const vars = { A: 'a', E: '' };
    expect(expand('$A-${A}-${B:-b}-${E:-e}-${A:+yes}-${B:+no}-\\$A', vars)).toBe('a-a-b-e-yes--$A');
  });
});

describe('stage graph and pruning', () => {
  const multi = [
    'ARG BASE=busybox', // 1
    'FROM ${BASE} AS build', // 2
    'RUN make', // 3
    'FROM nosuchimage:never AS unused', // 4
    'RUN --badflag whatever', // 5
    'FROM build AS test', // 6
    'FROM busybox AS final', // 7
    'COPY --from=build /out /out', // 8
    'RUN --mount=type=bind,from=tools,target=/t ls /t', // 9
    'FROM alpine AS tools', // 10
  ].join('\n');

  it('builds only the stages the target needs and lists the images they name', () => {
    const p = planDockerfile(multi, F, { target: 'final' });
    expect(p.pruned.needed).toEqual([0, 3, 4]);
    expect(p.images.sort()).toEqual(['alpine', 'busybox']);
    expect(planDockerfile(multi, F, { target: 'test' }).pruned.needed).toEqual([0, 2]);
  });

  it('expands FROM with global ARGs and build args over their defaults', () => {
    expect(planDockerfile(multi, F, { target: 'build', buildArgs: { BASE: 'debian' } }).images).toEqual([
      'debian',
    ]);
  });

  it('renders a file with the same line numbers: unused stages blank, images and stages renamed', () => {
    const lines = render(multi, { target: 'final' }).split('\n');
    expect(lines.slice(0, 10)).toEqual([
      'ARG BASE=busybox',
      'FROM local/busybox AS build',
      'RUN make',
      '',
      '',
      '',
      'FROM local/busybox AS final',
      'COPY --from=build /out /out',
      'RUN --mount=type=bind,from=tools,target=/t ls /t',
      'FROM local/alpine AS tools',
    ]);
  });

  it('maps numeric --from to stage names and treats an unknown name as an image', () => {
    const text = 'FROM busybox\nRUN a\nFROM busybox\nCOPY --from=0 /a /a\nCOPY --from=redis:7 /b /b\n';
    const out = render(text).split('\n');
    expect(out[3]).toBe('COPY --from=cmp-stage-0 /a /a');
    expect(out[4]).toBe('COPY --from=local/redis:7 /b /b');
  });

  it('reports a cycle between stages at the instruction that closes it', () => {
    const text = 'FROM busybox AS a\nCOPY --from=b /x /x\nFROM a AS b\n';
    expect(errorOf(() => planDockerfile(text, F, { target: 'b' }))).toBe(
      '/ctx/Dockerfile:2:1: stages form a cycle: b -> a -> b',
    );
  });

  it('reports a missing target, instructions before FROM and a file without FROM', () => {
    expect(errorOf(() => planDockerfile('FROM x AS a\n', F, { target: 'b' }))).toBe(
      '/ctx/Dockerfile:1:1: target stage "b" is not in /ctx/Dockerfile',
    );
    expect(errorOf(() => planDockerfile('ARG A\nRUN x\nFROM y\n', F))).toBe(
      '/ctx/Dockerfile:2:1: RUN before the first FROM (only ARG may come first)',
    );
    expect(errorOf(() => planDockerfile('# nothing\n', F))).toBe(
      '/ctx/Dockerfile:1:1: the Dockerfile has no FROM instruction',
    );
  });

  it('lets an additional context stand in for an image of the same name', () => {
    const p = planDockerfile('FROM busybox\nCOPY --from=assets /a /a\n', F, {
      contexts: new Set(['assets']),
    });
    expect(p.images).toEqual(['busybox']);
  });
});

describe('rewriting what buildah 1.28 lacks', () => {
  it('drops the syntax line and --link', () => {
    const out = render('# syntax=docker/dockerfile:1\nFROM busybox\nCOPY --link a /a\n').split('\n');
    expect(out.slice(0, 3)).toEqual(['', 'FROM local/busybox AS cmp-stage-0', 'COPY a /a']);
  });

  it('turns a RUN heredoc into a JSON-form script for the stage shell, keeping later lines in place', () => {
    const text = 'FROM busybox\nSHELL ["/bin/ash", "-c"]\nRUN <<EOF\necho one\necho two\nEOF\nCMD x\n';
    const out = render(text).split('\n');
    expect(out[2]).toBe('RUN ["/bin/ash","-c","echo one\\necho two\\n"]');
    expect(out.slice(3, 7)).toEqual(['', '', '', 'CMD x']);
  });

  it('runs a #! heredoc with its interpreter and feeds `cmd <<EOF` bodies to the shell', () => {
    const out = render('FROM b\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nRUN cat <<A > /f\nx\nA\n');
    const lines = out.split('\n');
    expect(lines[1]).toBe('RUN ["/usr/bin/env","python3","-c","#!/usr/bin/env python3\\nprint(1)\\n"]');
    expect(lines[5]).toBe('RUN ["/bin/sh","-c","cat <<A > /f\\nx\\nA"]');
  });

  it('turns a COPY heredoc into a file of the heredoc context', () => {
    const p = planDockerfile("FROM b\nCOPY --chmod=755 <<'EOF' /run.sh\necho $HOME\nEOF\n", F);
    const r = renderDockerfile(p.graph, p.pruned, { imageName: local, hostPlatform: HOST });
    expect(r.text.split('\n')[1]).toBe('COPY --from=cmp-heredocs --chmod=755 2/EOF /run.sh');
    expect(r.heredocFiles).toEqual([{ path: '2/EOF', content: 'echo $HOME\n' }]);
  });

  it('refuses what it cannot do faithfully with a located error', () => {
    expect(errorOf(() => render('FROM b\nCOPY <<EOF /f\n$HOME\nEOF\n'))).toMatch(
      /^\/ctx\/Dockerfile:2:1: COPY <<EOF: cmp does not expand variables in heredoc files yet/,
    );
    expect(errorOf(() => render('FROM --platform=linux/arm64 b\n'))).toBe(
      '/ctx/Dockerfile:1:1: FROM --platform=linux/arm64: cmp builds for this host only (linux/amd64)',
    );
  });

  it('accepts FROM --platform=$BUILDPLATFORM for this host', () => {
    const out = render('FROM --platform=$BUILDPLATFORM b\n', { automaticArgs: { BUILDPLATFORM: HOST } });
    expect(out.split('\n')[0]).toBe('FROM local/b AS cmp-stage-0');
  });

  it('lists the line of each step of each built stage', () => {
    const p = planDockerfile('FROM a AS x\nRUN 1\nFROM b AS y\nFROM a\n\nRUN 2\n', F);
    const r = renderDockerfile(p.graph, p.pruned, { imageName: local, hostPlatform: HOST });
    expect(r.steps).toEqual([[4, 6]]);
  });
});
