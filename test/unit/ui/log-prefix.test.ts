import { describe, expect, it } from 'vitest';
import { formatLogLine, logName, serviceColor } from '../../../src/ui/log-prefix.js';

describe('formatLogLine', () => {
  it('prefixes compose-style with the service and replica number', () => {
    expect(formatLogLine('web', 'myproj-web-1', 'listening on :80', { color: false })).toBe(
      'web-1 | listening on :80',
    );
    expect(formatLogLine('web', 'myproj-web-1', 'x', { color: false, width: 9 })).toBe('web-1     | x');
  });

  it('keeps a custom container_name', () => {
    expect(logName('db', 'postgres-main')).toBe('postgres-main');
    expect(logName('db', 'my_proj_db_2')).toBe('db-2');
    expect(logName('a.b', 'p-a.b-3')).toBe('a.b-3');
  });

  it('colours the prefix, the same colour for the same service every time', () => {
    const line = formatLogLine('web', 'p-web-1', 'hi', { color: true });
    const code = serviceColor('web');
    expect(line).toBe(`\u001b[${code}mweb-1 |\u001b[39m hi`);
    expect(formatLogLine('web', 'p-web-2', 'x', { color: true })).toContain(`\u001b[${code}m`);
    expect(serviceColor('web')).toBe(code);
    expect(code).not.toBe(31);
  });

  it('spreads services over several colours', () => {
    const colors = new Set(
      ['web', 'db', 'cache', 'worker', 'proxy', 'api', 'queue', 'auth'].map(serviceColor),
    );
    expect(colors.size).toBeGreaterThan(3);
  });

  it('adds docker-style timestamps', () => {
    const time = Date.UTC(2024, 4, 1, 10, 0, 0, 123);
    expect(formatLogLine('web', 'p-web-1', 'hi', { color: false, timestamps: true, time })).toBe(
      'web-1 | 2024-05-01T10:00:00.123000000Z hi',
    );
  });

  it('without prefix prints the bare line (timestamps kept)', () => {
    expect(formatLogLine('web', 'p-web-1', 'hi', { color: true, noPrefix: true })).toBe('hi');
    expect(
      formatLogLine('web', 'p-web-1', 'hi', { color: false, noPrefix: true, timestamps: true, time: 0 }),
    ).toBe('1970-01-01T00:00:00.000000000Z hi');
  });
});
