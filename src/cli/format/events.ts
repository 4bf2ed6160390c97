// `cmp events`: compose's plain line and its `--json` object.
import { LABEL, type RuntimeEvent } from '../../runtime/types.js';

export interface EventJson {
  time: string;
  type: string;
  action: string;
  id: string;
  service: string;
  attributes: Record<string, string>;
}

/** Labels are left out of the attributes: they are many, and the project and service are fields already. */
function attributesOf(e: RuntimeEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.attributes)) {
    if (k.startsWith('com.docker.compose.')) continue;
    out[k] = v;
  }
  return out;
}

export function eventJson(e: RuntimeEvent, service: string): EventJson {
  return {
    time: new Date(e.time).toISOString(),
    type: e.type,
    action: e.action,
    id: e.id,
    service,
    attributes: attributesOf(e),
  };
}

/** `2024-05-01 10:00:00.123 container start 3f2a… (image=busybox, name=demo-web-1)` */
export function formatEvent(e: RuntimeEvent, service: string, json: boolean): string {
  if (json) return `${JSON.stringify(eventJson(e, service))}\n`;
  const when = new Date(e.time).toISOString().replace('T', ' ').replace('Z', '');
  const attrs = Object.entries(attributesOf(e))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${when} ${e.type} ${e.action} ${e.id}${attrs ? ` (${attrs})` : ''}\n`;
}

export function eventService(e: RuntimeEvent): string {
  return e.attributes[LABEL.service] ?? '';
}
