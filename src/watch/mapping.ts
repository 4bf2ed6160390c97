// Where a host file lands in the container: the rule's `target` plus the file's place under `path`.
import { posix } from 'node:path';
import type { WatchRule } from '../model/types.js';
import { relativeInside } from './ignore.js';

export function containerPathFor(rule: WatchRule, hostPath: string): string | undefined {
  if (rule.target === undefined) return undefined;
  const rel = relativeInside(rule.path, hostPath);
  if (rel === undefined) return undefined;
  return rel === '' ? posix.normalize(rule.target) : posix.join(rule.target, rel);
}
