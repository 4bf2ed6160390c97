// The engine's container inspect document as cmp's ContainerState.
import type Dockerode from 'dockerode';
import type {
  ContainerNetworkState,
  ContainerState,
  ContainerStatus,
  ExposedPort,
  HealthStatus,
  PublishedPort,
} from '../types.js';

const STATUSES: readonly ContainerStatus[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
];
const HEALTH: readonly HealthStatus[] = ['starting', 'healthy', 'unhealthy'];

/** The engine writes the zero time (year 1) for "never". */
export function engineTime(text: string | undefined): number | undefined {
  if (!text || text.startsWith('0001-')) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

function asStringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function publishedPorts(
  ports: Dockerode.ContainerInspectInfo['NetworkSettings']['Ports'] | null,
): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port = '', proto = 'tcp'] = key.split('/');
    for (const b of bindings ?? []) {
      out.push({
        hostIp: b.HostIp,
        hostPort: Number(b.HostPort),
        containerPort: Number(port),
        protocol: proto as PublishedPort['protocol'],
      });
    }
  }
  return out;
}

export function toContainerState(info: Dockerode.ContainerInspectInfo): ContainerState {
  const s = info.State;
  const status = (STATUSES as readonly string[]).includes(s.Status) ? (s.Status as ContainerStatus) : 'dead';
  const networks: ContainerNetworkState[] = Object.entries(info.NetworkSettings?.Networks ?? {}).map(
    ([name, n]) => {
      const ns: ContainerNetworkState = { network: name, aliases: asStringList(n.Aliases) };
      if (n.IPAddress) ns.ipv4Address = n.IPAddress;
      if (n.GlobalIPv6Address) ns.ipv6Address = n.GlobalIPv6Address;
      if (n.MacAddress) ns.macAddress = n.MacAddress;
      return ns;
    },
  );
  const state: ContainerState = {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    labels: info.Config?.Labels ?? {},
    image: info.Config?.Image ?? info.Image,
    command: [info.Path, ...(info.Args ?? [])].filter((x) => x !== '').join(' '),
    status,
    restartCount: info.RestartCount ?? 0,
    createdAt: engineTime(info.Created) ?? 0,
    networks,
    ports: publishedPorts(info.NetworkSettings?.Ports ?? null),
  };
  if (status !== 'created' && status !== 'running' && status !== 'paused') state.exitCode = s.ExitCode;
  const health = s.Health?.Status;
  if (health && (HEALTH as readonly string[]).includes(health)) state.health = health as HealthStatus;
  const started = engineTime(s.StartedAt);
  if (started !== undefined) state.startedAt = started;
  const finished = engineTime(s.FinishedAt);
  if (finished !== undefined) state.finishedAt = finished;
  if (s.Pid) state.pid = s.Pid;
  const exposed = exposedOnly(info.NetworkSettings?.Ports ?? null);
  if (exposed.length > 0) state.exposed = exposed;
  return state;
}

/** The engine lists a running container's exposed ports as keys without bindings. */
function exposedOnly(
  ports: Dockerode.ContainerInspectInfo['NetworkSettings']['Ports'] | null,
): ExposedPort[] {
  return Object.entries(ports ?? {})
    .filter(([, bindings]) => !bindings || bindings.length === 0)
    .map(([key]) => {
      const [port = '', proto = 'tcp'] = key.split('/');
      return { containerPort: Number(port), protocol: proto as ExposedPort['protocol'] };
    });
}
