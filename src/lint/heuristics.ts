// The guesses lint makes about what a service is, kept in one place so docs/lint.md can list them and
// the rules stay short. Each is deliberately narrow: a lint that cries wolf gets switched off.
import type { Service } from '../model/types.js';

/**
 * Image names of servers that accept connections some time after their process starts (databases,
 * brokers, search engines). Matched against each path component of the image repository.
 */
const SERVER_IMAGE =
  /^(postgres|postgis|timescaledb|mysql|mariadb|percona|mongo|mongodb|redis|valkey|keydb|memcached|rabbitmq|kafka|cp-kafka|redpanda|zookeeper|elasticsearch|opensearch|solr|cassandra|scylla|couchdb|couchbase|influxdb|clickhouse|clickhouse-server|neo4j|etcd|nats|mssql|cockroach|minio|oracle|db2|vault|consul)([-_].*)?$/i;

/** The repository part of an image reference: no registry-less tag, no digest. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

/** The tag written in an image reference; undefined when there is none (or a digest pins it). */
export function imageTag(image: string): { tag?: string; digest: boolean } {
  if (image.includes('@')) return { digest: true };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return { tag: colon > lastSlash ? image.slice(colon + 1) : undefined, digest: false };
}

export function isDatabaseLike(svc: Service): boolean {
  if (!svc.image) return false;
  return imageRepository(svc.image)
    .split('/')
    .some((part) => SERVER_IMAGE.test(part));
}

/** Listens for connections: a database-like image, or published or exposed ports. */
export function looksLikeServer(svc: Service): boolean {
  return isDatabaseLike(svc) || svc.ports.length > 0 || (svc.expose?.length ?? 0) > 0;
}

/** A healthcheck the service itself configures; the image may still define one (lint cannot see images). */
export function hasOwnHealthcheck(svc: Service): boolean {
  const hc = svc.healthcheck;
  if (!hc || hc.disable) return false;
  const test = hc.test;
  return test !== undefined && test.length > 0 && test[0] !== 'NONE';
}

export function healthcheckDisabled(svc: Service): boolean {
  return svc.healthcheck?.disable === true || svc.healthcheck?.test?.[0] === 'NONE';
}

/** The words the container runs: entrypoint then command, as far as the file says. */
export function commandWords(svc: Service): string[] {
  return [...(svc.entrypoint ?? []), ...(svc.command ?? [])];
}

const ONE_SHOT_WORD = /^(?:[\w.-]*:)?(migrate|migrations?|seed|upgrade|init-db|initdb|db:setup|db:create)$/i;
const ONE_SHOT_SCRIPT = /(?:^|\/)[\w.-]*(migrat|seed|init|setup|bootstrap)[\w.-]*\.(sh|py|js|ts|rb|php|pl)$/i;

/** Why a command looks like a job that finishes (a migration, a seed, `exit`), or undefined. */
export function oneShotReason(svc: Service): string | undefined {
  for (const raw of commandWords(svc)) {
    for (const w of raw.split(/[\s;&|()]+/)) {
      if (w === 'exit') return 'runs `exit`';
      if (ONE_SHOT_WORD.test(w)) return `runs \`${w}\``;
      if (ONE_SHOT_SCRIPT.test(w)) return `runs the script ${w}`;
    }
  }
  return undefined;
}

/** restart policies that bring a container back even after a clean exit, with no attempt limit. */
export function unlimitedRestart(svc: Service): string | undefined {
  if (svc.restart === 'always' || svc.restart === 'unless-stopped') return `restart: ${svc.restart}`;
  const rp = svc.deploy?.restart_policy;
  if (rp && (rp.condition === undefined || rp.condition === 'any') && rp.max_attempts === undefined)
    return 'deploy.restart_policy.condition: any';
  return undefined;
}

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** The script with quoted strings blanked, so that a `;` inside quotes separates nothing. */
function unquoted(script: string): string {
  return script.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
}

/** The script's last command, as the shell would run it. */
function lastCommand(script: string): string {
  return (
    unquoted(script)
      .trim()
      .split(/&&|\|\||;|\n/)
      .pop()
      ?.trim() ?? ''
  );
}

/**
 * A shell stays PID 1 (and swallows SIGTERM) unless it replaces itself: compound scripts (`a && b`,
 * `a; b`, pipes, several lines) keep the shell unless the last command is `exec`'d.
 */
export function shellKeepsPid1(script: string): boolean {
  const trimmed = unquoted(script).trim();
  if (!/&&|\|\||;|\||\n|&\s*$|&\s/.test(trimmed)) return false;
  return !lastCommand(trimmed).startsWith('exec ');
}

/**
 * Programs that install no SIGTERM handler. The kernel delivers to a namespace's PID 1 only the signals
 * it handles, so as PID 1 these ignore `docker stop`'s SIGTERM and are killed after the grace period:
 * shells, every busybox applet but init, coreutils' waiting tools, and the node and python runtimes (a
 * program must ask for SIGTERM itself). Servers such as nginx, postgres, redis, Apache httpd, the JVM and
 * Go programs do handle it, and anything not named here is given the benefit of the doubt.
 */
const IGNORES_SIGTERM = new Set([
  ...SHELLS,
  'sleep',
  'tail',
  'cat',
  'yes',
  'ping',
  'nc',
  'node',
  'nodejs',
  'python',
  'python2',
  'python3',
]);

/** Wrappers that run as PID 1 and pass SIGTERM on (what `init: true` adds). */
const SIGNAL_FORWARDERS = new Set(['tini', 'docker-init', 'dumb-init', 'catatonit', 's6-svscan', 'runsvdir']);

const TRAPS_TERM = /\btrap\b[^\n]*\b(TERM|SIGTERM|15)\b/;

/** A word's program name: its last path component. */
function base(word: string): string {
  return word.split('/').pop() ?? word;
}

/**
 * What PID 1 is when it will ignore SIGTERM (`sh -c`, `busybox httpd`, `node`), or undefined when it
 * handles it, forwards it, or cannot be told from the file (no command: the image decides).
 */
export function pid1IgnoringSigterm(words: readonly string[]): string | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const program = base(first);
  if (SIGNAL_FORWARDERS.has(program)) return undefined;
  if (SHELLS.has(program)) {
    const c = words.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w));
    if (c < 0) return undefined; // `sh script.sh`: the script cannot be seen
    const script = words[c + 1] ?? '';
    if (TRAPS_TERM.test(script)) return undefined;
    if (shellKeepsPid1(script)) return `${program} -c`;
    // The shell replaces itself with the script's last (or only) command: that one is PID 1.
    return pid1IgnoringSigterm(wordsOf(lastCommand(script).replace(/^exec\s+/, '')));
  }
  if (program === 'busybox') {
    const applet = words[1];
    return applet === undefined || applet === 'init' ? undefined : `busybox ${applet}`;
  }
  if (program === 'env')
    return pid1IgnoringSigterm(words.slice(1).filter((w) => !w.includes('=') && !w.startsWith('-')));
  return IGNORES_SIGTERM.has(program) ? program : undefined;
}

/** Plain words of a simple command (quotes dropped; good enough to name its program). */
function wordsOf(command: string): string[] {
  return command
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => w.replace(/^['"]|['"]$/g, ''));
}
