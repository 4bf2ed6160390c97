// `cmp ps` output: the table and compose's JSON Lines objects.
import { LABEL, type ContainerState } from '../../runtime/types.js';
import { ago } from './human-time.js';
import { formatPorts, publishers, type Publisher } from './ports.js';
import { statusText } from './status.js';
import type { TemplateRow } from './go-template.js';
import { jsonLines, renderTable } from './table.js';

export interface PsJson {
  ID: string;
  Name: string;
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  /** Unix seconds. */
  Created: number;
  State: string;
  Status: string;
  Health: string;
  ExitCode: number;
  Publishers: Publisher[];
}

const COMMAND_WIDTH = 20;

/** Quoted and cut as docker does, so long entrypoints do not push the table off the screen. */
export function shortCommand(command: string, noTrunc = false): string {
  const cut =
    !noTrunc && command.length > COMMAND_WIDTH ? `${command.slice(0, COMMAND_WIDTH - 1)}…` : command;
  return `"${cut}"`;
}

/** Ports are published only while the container runs: docker shows none for a stopped one. */
function livePorts(c: ContainerState): ContainerState['ports'] {
  return c.status === 'running' || c.status === 'paused' || c.status === 'restarting' ? c.ports : [];
}

export function psRow(c: ContainerState): PsJson {
  return {
    ID: c.id,
    Name: c.name,
    Image: c.image,
    Command: `"${c.command}"`,
    Project: c.labels[LABEL.project] ?? '',
    Service: c.labels[LABEL.service] ?? '',
    Created: Math.floor(c.createdAt / 1000),
    State: c.status,
    Status: '',
    Health: c.health ?? '',
    ExitCode: c.exitCode ?? 0,
    Publishers: publishers(livePorts(c), c.exposed),
  };
}

export function formatPsJson(containers: readonly ContainerState[], now: number): string {
  return jsonLines(containers.map((c) => ({ ...psRow(c), Status: statusText(c, now) })));
}

/** Every field `--format '{{.Field}}'` can name, as docker compose ps has them. */
export function psTemplateRow(c: ContainerState, now: number, noTrunc: boolean): TemplateRow {
  return {
    ...psRow(c),
    Command: shortCommand(c.command, noTrunc),
    Status: statusText(c, now),
    Names: c.name,
    RunningFor: ago(c.createdAt, now),
    CreatedAt: new Date(c.createdAt).toISOString(),
    Ports: formatPorts(livePorts(c), c.exposed),
    Labels: Object.entries(c.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Networks: c.networks.map((n) => n.network).join(','),
  };
}

export function formatPsTable(containers: readonly ContainerState[], now: number, noTrunc = false): string {
  return renderTable(
    ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
    containers.map((c) => [
      c.name,
      c.image,
      shortCommand(c.command, noTrunc),
      c.labels[LABEL.service] ?? '',
      ago(c.createdAt, now),
      statusText(c, now),
      formatPorts(livePorts(c), c.exposed),
    ]),
  );
}
