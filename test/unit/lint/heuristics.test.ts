// The guesses docs/lint.md documents: which words are host names, which literals are addresses.
import { describe, expect, it } from 'vitest';
import { ipv4Literals } from '../../../src/lint/addresses.js';
import { pid1IgnoringSigterm, shellKeepsPid1 } from '../../../src/lint/heuristics.js';
import { hostsIn } from '../../../src/lint/references.js';

describe('lint heuristics', () => {
  it('reads host names from URLs and name:port only', () => {
    expect(hostsIn('postgres://app:secret@db:5432/app')).toEqual(['db']);
    expect(hostsIn('mongodb://a:27017,b:27017/x?replicaSet=rs')).toContain('b');
    expect(hostsIn('--upstream cache:6379')).toEqual(['cache']);
    expect(hostsIn('production')).toEqual([]);
    expect(hostsIn('10:30')).toEqual([]);
  });

  it('treats subnets and network addresses as no host address', () => {
    expect(ipv4Literals('connect 172.20.0.5 and 10.0.0.0 in 192.168.1.0/24, v1.2.3.4.5')).toEqual([
      '172.20.0.5',
    ]);
  });

  it('knows when a shell stays PID 1', () => {
    expect(shellKeepsPid1('nginx -g "daemon off"')).toBe(false);
    expect(shellKeepsPid1('./wait && ./run')).toBe(true);
    expect(shellKeepsPid1('./wait && exec ./run')).toBe(false);
    expect(shellKeepsPid1('./a; ./b')).toBe(true);
  });

  it('knows which PID 1 ignores SIGTERM, through the shell and exec', () => {
    const sh = (script: string): string | undefined => pid1IgnoringSigterm(['sh', '-c', script]);
    expect(sh('./wait && ./run')).toBe('sh -c');
    expect(sh('./wait && exec ./run')).toBeUndefined();
    expect(sh('mkdir -p /w && exec busybox httpd -f -p 80')).toBe('busybox httpd');
    expect(sh('exec nginx -g "daemon off"')).toBeUndefined();
    expect(sh('trap "exit 0" TERM; sleep 100 & wait')).toBeUndefined();
    expect(sh('sleep 1000')).toBe('sleep');
    expect(pid1IgnoringSigterm(['/bin/bash', '-lc', 'a; b'])).toBe('bash -c');
    expect(pid1IgnoringSigterm(['busybox', 'httpd', '-f'])).toBe('busybox httpd');
    expect(pid1IgnoringSigterm(['busybox', 'init'])).toBeUndefined();
    expect(pid1IgnoringSigterm(['node', 'server.js'])).toBe('node');
    expect(pid1IgnoringSigterm(['/usr/local/bin/python3', 'app.py'])).toBe('python3');
    expect(pid1IgnoringSigterm(['env', 'A=1', 'python', 'app.py'])).toBe('python');
    expect(pid1IgnoringSigterm(['tini', '--', 'node', 'x.js'])).toBeUndefined();
    expect(pid1IgnoringSigterm(['postgres', '-c', 'fsync=off'])).toBeUndefined();
    expect(pid1IgnoringSigterm(['sh', 'start.sh'])).toBeUndefined();
    expect(pid1IgnoringSigterm([])).toBeUndefined();
  });
});
