// Where a service names another host: environment values and command words. Only shapes that are
// hostnames in practice count (a URL's host, `name:port`, `--host name`, or the whole value of a
// variable whose name says host/url/addr/server...), so `MODE=web` never reads as a reference to `web`.
import type { Service } from '../model/types.js';
import type { ModelPath } from './types.js';

export interface HostReference {
  host: string;
  path: ModelPath;
  /** Where it was written, for messages: `environment DB_HOST` or `command`. */
  where: string;
}

const HOST_KEY =
  /(HOST|URL|URI|ADDR|ADDRESS|SERVER|SERVERS|ENDPOINT|DSN|BROKER|BROKERS|CONNECTION|UPSTREAM)S?$/i;
const NAME = /^[A-Za-z][\w.-]*$/;
const URL_AUTHORITY = /[a-z][a-z0-9+.-]*:\/\/([^/\s?#'"]+)/gi;
const HOST_PORT = /(?:^|[\s,=@'"(])([A-Za-z][\w.-]*):(\d{2,5})(?![\d.])/g;
const HOST_FLAG = /^--?(?:h|host|hostname|server|addr|address|broker|bootstrap-server)$/;

function stripPort(hostPort: string): string {
  return hostPort.replace(/:\d+$/, '');
}

/** Hostnames in a text by shape alone. */
export function hostsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_AUTHORITY)) {
    const authority = (m[1] ?? '').split('@').pop() ?? '';
    for (const part of authority.split(',')) {
      const h = stripPort(part);
      if (NAME.test(h)) out.push(h);
    }
  }
  for (const m of text.matchAll(HOST_PORT)) if (m[1]) out.push(m[1]);
  return [...new Set(out)];
}

function wordsHosts(words: readonly string[]): string[] {
  const out: string[] = [];
  words.forEach((w, i) => {
    out.push(...hostsIn(w));
    const eq = /^(--?[\w-]+)=(.+)$/.exec(w);
    if (eq?.[1] && HOST_FLAG.test(eq[1]) && NAME.test(stripPort(eq[2] ?? '')))
      out.push(stripPort(eq[2] ?? ''));
    const next = words[i + 1];
    if (HOST_FLAG.test(w) && next !== undefined && NAME.test(stripPort(next))) out.push(stripPort(next));
  });
  return out;
}

export function hostReferences(svc: Service): HostReference[] {
  const refs: HostReference[] = [];
  const seen = new Set<string>();
  const add = (host: string, path: ModelPath, where: string): void => {
    const key = `${host}\0${path.join('.')}`;
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ host, path, where });
  };
  for (const [key, value] of Object.entries(svc.environment)) {
    if (typeof value !== 'string') continue;
    const path = ['environment', key];
    for (const h of hostsIn(value)) add(h, path, `environment ${key}`);
    if (HOST_KEY.test(key))
      for (const part of value.split(/[,\s]+/)) {
        const h = stripPort(part);
        if (NAME.test(h) && !/^(true|false|yes|no|on|off|none|null|localhost)$/i.test(h))
          add(h, path, `environment ${key}`);
      }
  }
  for (const k of ['entrypoint', 'command'] as const) {
    const words = svc[k];
    if (words) for (const h of wordsHosts(words)) add(h, [k], k);
  }
  return refs;
}
