// Picking one image out of a multi-platform index (image-index.md: platform.os/architecture/variant
// use Go's GOOS/GOARCH names; entries of unknown media type are skipped, never an error).
import { RuntimeError } from '../../../util/errors.js';
import { isManifest } from './media.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Platform & { 'os.version'?: string };
  annotations?: Record<string, string>;
}

const NODE_TO_GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** The platform to pull: DOCKER_DEFAULT_PLATFORM (`os/arch[/variant]`) if set, else the host's. */
export function wantedPlatform(env: NodeJS.ProcessEnv = process.env): Platform {
  const forced = env.DOCKER_DEFAULT_PLATFORM?.trim();
  if (forced) {
    const [os, architecture, variant] = forced.split('/');
    if (os && architecture) return { os, architecture, ...(variant ? { variant } : {}) };
  }
  const architecture = NODE_TO_GOARCH[process.arch] ?? process.arch;
  const p: Platform = { os: 'linux', architecture };
  if (architecture === 'arm64') p.variant = 'v8';
  if (architecture === 'arm') {
    const v = (process.config.variables as Record<string, unknown>).arm_version;
    p.variant = `v${typeof v === 'string' || typeof v === 'number' ? v : 7}`;
  }
  return p;
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** arm64 images are often published with no variant: treat that as v8. */
function variantOf(p: Platform): string | undefined {
  if (p.variant) return p.variant;
  return p.architecture === 'arm64' ? 'v8' : undefined;
}

export function selectManifest(manifests: Descriptor[], want: Platform, what: string): Descriptor {
  const usable = manifests.filter(
    (m) => (m.mediaType === undefined || isManifest(m.mediaType)) && m.platform,
  );
  const sameArch = usable.filter(
    (m) => m.platform?.os === want.os && m.platform?.architecture === want.architecture,
  );
  const wantVariant = variantOf(want);
  const exact = sameArch.find((m) => m.platform && variantOf(m.platform) === wantVariant);
  const pick = exact ?? (wantVariant === undefined || want.architecture !== 'arm' ? sameArch[0] : undefined);
  if (!pick) {
    const have = usable.map((m) => (m.platform ? formatPlatform(m.platform) : '?')).join(', ') || 'none';
    throw new RuntimeError(`no image for platform ${formatPlatform(want)} in ${what} (available: ${have})`);
  }
  return pick;
}
