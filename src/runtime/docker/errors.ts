// The engine's HTTP errors, turned into cmp's RuntimeError with the engine's own message.
import { RuntimeError } from '../../util/errors.js';

interface EngineHttpError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

function asHttpError(e: unknown): EngineHttpError | undefined {
  return typeof e === 'object' && e !== null ? (e as EngineHttpError) : undefined;
}

export function statusOf(e: unknown): number | undefined {
  return asHttpError(e)?.statusCode;
}

export function isNotFound(e: unknown): boolean {
  return statusOf(e) === 404;
}

/** 304: the engine says the container is already in the state asked for. */
export function isNotModified(e: unknown): boolean {
  return statusOf(e) === 304;
}

export function engineMessage(e: unknown): string {
  const h = asHttpError(e);
  const msg = h?.json?.message ?? h?.reason ?? h?.message ?? String(e);
  return msg.trim();
}

/** Wraps an engine failure: `what` names the operation ("create container web-1"). */
export function engineError(what: string, e: unknown, hint?: string): RuntimeError {
  if (e instanceof RuntimeError) return e;
  const code = asHttpError(e)?.statusCode;
  const unreachable = code === undefined && /ENOENT|ECONNREFUSED|EACCES/.test(engineMessage(e));
  return new RuntimeError(`docker: ${what}: ${engineMessage(e)}`, {
    cause: e,
    ...(hint ? { hint } : unreachable ? { hint: 'is the Docker engine running? check DOCKER_HOST' } : {}),
  });
}

/** Runs an engine call and wraps its failure. */
export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw engineError(what, e);
  }
}

/** Like call(), but a 404 yields undefined. */
export async function callOrMissing<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw engineError(what, e);
  }
}
