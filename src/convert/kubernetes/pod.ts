// The pod template every workload kind shares.
import type { Service } from '../../model/types.js';
import { durationMs } from '../../model/duration.js';
import { type ConvertContext, report } from './context.js';
import { mainContainer } from './container.js';
import { fileMounts } from './files.js';
import { selectorLabels } from './names.js';
import { seconds } from './probes.js';
import type { PodSpec, PodTemplate } from './types.js';
import { storageFor } from './volumes.js';
import { waitContainers } from './wait.js';

function hostAliases(ctx: ConvertContext, service: string, entries: string[]): PodSpec['hostAliases'] {
  const byIp = new Map<string, string[]>();
  for (const e of entries) {
    // "host:ip", "host=ip"; the ip may be IPv6 with colons
    const m = /^([^:=]+)[:=](.+)$/.exec(e);
    if (!m) {
      report(ctx, service, `extra_hosts: ${e}`, 'ignored', 'not in host:ip form');
      continue;
    }
    const ip = (m[2] as string).replace(/^\[|\]$/g, '');
    if (ip === 'host-gateway') {
      report(
        ctx,
        service,
        `extra_hosts: ${e}`,
        'ignored',
        'host-gateway names the docker host, which a pod has no equivalent of',
      );
      continue;
    }
    byIp.set(ip, [...(byIp.get(ip) ?? []), m[1] as string]);
  }
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}

function dnsConfig(s: Service): PodSpec['dnsConfig'] {
  const cfg: NonNullable<PodSpec['dnsConfig']> = {};
  if (s.dns?.length) cfg.nameservers = [...s.dns];
  if (s.dns_search?.length) cfg.searches = [...s.dns_search];
  if (s.dns_opt?.length) {
    cfg.options = s.dns_opt.map((o) => {
      const [name = '', value] = o.split(':');
      return value === undefined ? { name } : { name, value };
    });
  }
  return Object.keys(cfg).length ? cfg : undefined;
}

const QUALIFIED =
  /^(?:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Compose labels carry free text: as pod annotations they keep it, if the key is a valid name. */
function annotationsFor(
  ctx: ConvertContext,
  service: string,
  labels: Record<string, string>,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (QUALIFIED.test(k)) out[k] = String(v);
    else report(ctx, service, `labels: ${k}`, 'ignored', 'not a valid annotation key');
  }
  return Object.keys(out).length ? out : undefined;
}

export function podTemplate(
  ctx: ConvertContext,
  service: string,
  s: Service,
  restartPolicy?: PodSpec['restartPolicy'],
): PodTemplate {
  const files = fileMounts(ctx, service, s);
  const storage = storageFor(ctx, service, s);
  const waits = waitContainers(ctx, service, s);
  const spec: PodSpec = {
    ...(waits.length ? { initContainers: waits } : {}),
    containers: [mainContainer(ctx, service, s, [...storage.mounts, ...files.mounts])],
  };
  const volumes = [...storage.volumes, ...files.volumes];
  if (volumes.length) spec.volumes = volumes;
  if (restartPolicy) spec.restartPolicy = restartPolicy;
  if (s.hostname) spec.hostname = s.hostname;
  if (s.stop_grace_period)
    spec.terminationGracePeriodSeconds = seconds(durationMs(s.stop_grace_period, 10_000));
  if (s.extra_hosts?.length) {
    const aliases = hostAliases(ctx, service, s.extra_hosts);
    if (aliases?.length) spec.hostAliases = aliases;
  }
  const dns = dnsConfig(s);
  if (dns) spec.dnsConfig = dns;
  if (s.sysctls && Object.keys(s.sysctls).length) {
    spec.securityContext = {
      sysctls: Object.entries(s.sysctls).map(([name, value]) => ({ name, value: String(value) })),
    };
    report(
      ctx,
      service,
      'sysctls',
      'note',
      "pod-wide; sysctls outside the safe set need the kubelet's --allowed-unsafe-sysctls",
    );
  }
  const annotations = annotationsFor(ctx, service, s.labels);
  return {
    metadata: { labels: selectorLabels(ctx.project.name, service), ...(annotations ? { annotations } : {}) },
    spec,
  };
}
