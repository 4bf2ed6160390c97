// What a runtime's build method takes: the same for both runtimes, so `cmp build`, `up --build` and watch
// rebuilds call either the same way.
import type { EventSink } from '../engine/events.js';
import type { Project } from '../model/types.js';
import type { BuildFlags } from './request.js';

export interface BuildServiceOptions extends BuildFlags {
  project: string;
  serviceName: string;
  /** Defaults to the service's `image`, else `<project>-<service>` as docker compose names it. */
  tag?: string;
  /** More references for the same image (other services that build the same thing). */
  extraTags?: string[];
  events?: EventSink;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The loaded project: its secrets, directory and compose files (for located errors). */
  model?: Project;
  /** Every line of the builder's output as a progress event, not only the steps. */
  verboseOutput?: boolean;
}

export type BuildEmit = (action: 'progress' | 'create', status: string, detail?: string) => void;

/** Progress events of one build, as `image` events named by the tag. */
export function buildEmitter(opts: BuildServiceOptions, tag: string): BuildEmit {
  return (action, status, detail) =>
    opts.events?.({
      time: Date.now(),
      kind: 'image',
      name: tag,
      service: opts.serviceName,
      action,
      status,
      ...(detail === undefined ? {} : { detail }),
    });
}
