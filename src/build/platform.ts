// This host's platform in Go's names, and the build arguments BuildKit defines from it: every build cmp
// makes (either runtime) targets the host it runs on.
const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export function hostPlatform(): string {
  return `linux/${GO_ARCH[process.arch] ?? process.arch}`;
}

export function automaticArgs(): Record<string, string> {
  const platform = hostPlatform();
  const [os, arch] = platform.split('/') as [string, string];
  return {
    BUILDPLATFORM: platform,
    BUILDOS: os,
    BUILDARCH: arch,
    BUILDVARIANT: '',
    TARGETPLATFORM: platform,
    TARGETOS: os,
    TARGETARCH: arch,
    TARGETVARIANT: '',
  };
}
