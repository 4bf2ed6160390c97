// The supervisor's control socket speaks newline-delimited JSON: one request, one reply, then close.
import { connect } from 'node:net';
import { join } from 'node:path';
import { projectRunDir } from '../../../util/paths.js';
import type { PortConfig } from '../../../model/types.js';
import type { PublishedPort } from '../../types.js';
import { RuntimeError } from '../../../util/errors.js';

export type Request =
  | { op: 'ping' }
  /** Start what the restart policies bring back after a reboot (`cmp system boot`). */
  | { op: 'boot' }
  /** Look at the project now; `callerHoldsLock`: the caller holds the project lock, so exit at once if empty. */
  | { op: 'check'; callerHoldsLock?: boolean }
  | { op: 'publish'; id: string; ports: PortConfig[] }
  | { op: 'unpublish'; id: string }
  /** Look at the networks now and say which of these gateways the DNS server listens on. */
  | { op: 'dns'; gateways: string[] };

export type Reply =
  | {
      ok: true;
      pid: number;
      ports?: PublishedPort[];
      exiting?: boolean;
      serving?: string[];
      /** ping: its boot (re-publishing ports, starting what must run again) is done. */
      booted?: boolean;
    }
  | { ok: false; error: string; hint?: string };

export function socketPath(project: string): string {
  return join(projectRunDir(project), 'cmp.sock');
}

export function pidPath(project: string): string {
  return join(projectRunDir(project), 'supervisor.pid');
}

export function logPath(project: string): string {
  return join(projectRunDir(project), 'supervisor.log');
}

/** Sends one request; rejects when nobody listens or the reply does not come within the timeout. */
export function send(project: string, req: Request, timeoutMs = 10_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath(project));
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new RuntimeError(`the supervisor of project ${project} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('connect', () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        sock.end();
        try {
          resolve(JSON.parse(buf.slice(0, nl)) as Reply);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
