import { describe, expect, it } from 'vitest';
import { familiarName, normalizeReference, registryScheme } from '../../../src/runtime/image-reference.js';
import { parseChallenge } from '../../../src/runtime/embedded/images/auth.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  it.each([
    ['redis', 'docker.io/library/redis:latest'],
    ['redis:7', 'docker.io/library/redis:7'],
    ['user/app', 'docker.io/user/app:latest'],
    ['docker.io/redis', 'docker.io/library/redis:latest'],
    ['index.docker.io/user/app:1', 'docker.io/user/app:1'],
    ['127.0.0.1:5000/x:tag', '127.0.0.1:5000/x:tag'],
    ['localhost:5000/a/b', 'localhost:5000/a/b:latest'],
    ['localhost/x', 'localhost/x:latest'],
    ['ghcr.io/o/r', 'ghcr.io/o/r:latest'],
    [`name@${D}`, `docker.io/library/name@${D}`],
    [`h:1/name:t@${D}`, `h:1/name:t@${D}`],
  ])('%s -> %s', (input, want) => {
    expect(normalizeReference(input)).toBe(want);
  });

  it('rejects malformed references', () => {
    expect(() => normalizeReference('Upper')).toThrow(/invalid repository name/);
    expect(() => normalizeReference('x@sha256:abc')).toThrow(/invalid digest/);
    expect(() => normalizeReference('')).toThrow(/empty/);
  });

  it('prints Docker Hub names short', () => {
    expect(familiarName('docker.io/library/redis:7')).toBe('redis:7');
    expect(familiarName('docker.io/user/app:1')).toBe('user/app:1');
    expect(familiarName('127.0.0.1:5000/x:1')).toBe('127.0.0.1:5000/x:1');
  });

  it('uses plain http only for loopback and listed insecure registries', () => {
    expect(registryScheme('127.0.0.1:5000', {})).toBe('http');
    expect(registryScheme('localhost:5000', {})).toBe('http');
    expect(registryScheme('docker.io', {})).toBe('https');
    expect(registryScheme('reg.lan:5000', { CMP_INSECURE_REGISTRIES: 'other, reg.lan:5000' })).toBe('http');
    expect(registryScheme('reg.lan', { CMP_INSECURE_REGISTRIES: 'reg.lan' })).toBe('http');
  });

  it('parses WWW-Authenticate challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/busybox:pull',
      },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge(null)).toBeUndefined();
  });
});
