// Lifecycle hooks (`pre_start`, `post_start`, `pre_stop`) and watch rules' `exec`: their `command` in
// the list form and their `environment` as a mapping, as every other command and environment of the
// model. Compose prints them so, and the watcher runs `exec.command` as a list.
import type { Service } from '../../model/types.js';
import { isMapping, type Mapping } from '../tree.js';
import { shellSplit, ShellSyntaxError } from './shell-split.js';
import { fail, keyValues, strList } from './values.js';

/** `command`/`entrypoint`: a string is split as a shell would; null stays null (reset). */
export function command(svc: Mapping, key: string, label: string): string[] | null | undefined {
  const v = svc[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string') {
    try {
      return shellSplit(v);
    } catch (e) {
      if (e instanceof ShellSyntaxError) fail(`${label}: ${e.message}`, svc, key);
      throw e;
    }
  }
  return strList(svc, key, label, false);
}

function hook(h: unknown, container: unknown, at: string | number, label: string): Mapping {
  if (!isMapping(h)) fail(`${label} must be a mapping`, container, at);
  const out: Mapping = { ...h };
  const cmd = command(h, 'command', `${label}.command`);
  if (cmd !== undefined) out.command = cmd;
  const env = keyValues(h, 'environment', `${label}.environment`, true);
  if (env) out.environment = env;
  return out;
}

export function hooks(svc: Mapping, key: string, label: string): Mapping[] | undefined {
  const v = svc[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(`${label} must be a list`, svc, key);
  return v.map((h, i) => hook(h, v, i, `${label}[${i}]`));
}

export function develop(svc: Mapping, label: string): Service['develop'] {
  const v = svc.develop;
  if (!isMapping(v) || !Array.isArray(v.watch)) return v as Service['develop'];
  const watch = v.watch.map((rule, i) => {
    if (!isMapping(rule) || rule.exec === undefined) return rule;
    return { ...rule, exec: hook(rule.exec, rule, 'exec', `${label}.watch[${i}].exec`) };
  });
  return { ...v, watch } as Service['develop'];
}
