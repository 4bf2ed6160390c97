// The OCI/Docker image config as stored in the registry, and the part of it containers need.
import type { ImageConfig } from '../../types.js';

/** The fields of an OCI image config cmp reads (image-spec config.md; Docker adds Healthcheck). */
export interface OciImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, unknown>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Volumes?: Record<string, unknown>;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
    Healthcheck?: {
      Test?: string[];
      Interval?: number;
      Timeout?: number;
      Retries?: number;
      StartPeriod?: number;
    };
  };
  rootfs?: { type?: string; diff_ids?: string[] };
}

/** Durations in image configs are nanoseconds; cmp works in milliseconds. */
const nsToMs = (ns: number | undefined): number | undefined => (ns === undefined ? undefined : ns / 1e6);

export function toImageConfig(oci: OciImageConfig): ImageConfig {
  const c = oci.config ?? {};
  const out: ImageConfig = {};
  if (c.Entrypoint !== undefined) out.entrypoint = c.Entrypoint;
  if (c.Cmd !== undefined) out.cmd = c.Cmd;
  if (c.Env) out.env = c.Env;
  if (c.WorkingDir) out.workingDir = c.WorkingDir;
  if (c.User) out.user = c.User;
  if (c.StopSignal) out.stopSignal = c.StopSignal;
  if (c.ExposedPorts) out.exposedPorts = Object.keys(c.ExposedPorts);
  if (c.Volumes) out.volumes = Object.keys(c.Volumes);
  if (c.Labels) out.labels = c.Labels;
  if (c.Healthcheck) {
    const h = c.Healthcheck;
    out.healthcheck = {};
    if (h.Test) out.healthcheck.test = h.Test;
    const interval = nsToMs(h.Interval);
    const timeout = nsToMs(h.Timeout);
    const startPeriod = nsToMs(h.StartPeriod);
    if (interval) out.healthcheck.interval = interval;
    if (timeout) out.healthcheck.timeout = timeout;
    if (h.Retries) out.healthcheck.retries = h.Retries;
    if (startPeriod) out.healthcheck.startPeriod = startPeriod;
  }
  return out;
}

export function parseImageConfig(bytes: Uint8Array | string): OciImageConfig {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  const parsed = JSON.parse(text) as OciImageConfig;
  if (!parsed.rootfs || !Array.isArray(parsed.rootfs.diff_ids)) {
    throw new Error('image config has no rootfs.diff_ids');
  }
  return parsed;
}
