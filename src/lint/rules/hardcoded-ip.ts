// Container addresses change when a container is recreated (compose#3314): a literal address in
// configuration points at whatever got that address next. Names are resolved fresh by the DNS.
import type { Project } from '../../model/types.js';
import { PRIVATE_RANGES, inCidr, ipv4Literals, ipv4Number, parseCidr, type Cidr } from '../addresses.js';
import type { LintRule, ModelPath, RuleHit } from '../types.js';

interface Subnet extends Cidr {
  network: string;
}

function declaredSubnets(project: Project): Subnet[] {
  const out: Subnet[] = [];
  for (const [key, net] of Object.entries(project.networks)) {
    for (const c of net.ipam?.config ?? []) {
      const cidr = c.subnet ? parseCidr(c.subnet) : undefined;
      if (cidr) out.push({ ...cidr, network: key });
    }
  }
  return out;
}

/** The service that owns a static address, to name in the fix. */
function ownerOf(project: Project, ip: string): string | undefined {
  for (const [name, svc] of Object.entries(project.services))
    for (const att of Object.values(svc.networks)) if (att?.ipv4_address === ip) return name;
  return undefined;
}

interface Value {
  service?: string;
  path: ModelPath;
  where: string;
  text: string;
}

function values(project: Project): Value[] {
  const out: Value[] = [];
  for (const [name, svc] of Object.entries(project.services)) {
    for (const [k, v] of Object.entries(svc.environment))
      if (typeof v === 'string')
        out.push({
          service: name,
          path: ['services', name, 'environment', k],
          where: `${name}'s ${k}`,
          text: v,
        });
    for (const k of ['command', 'entrypoint'] as const) {
      const words = svc[k];
      if (words)
        out.push({
          service: name,
          path: ['services', name, k],
          where: `${name}'s ${k}`,
          text: words.join(' '),
        });
    }
  }
  for (const [name, c] of Object.entries(project.configs))
    if (typeof c.content === 'string')
      out.push({ path: ['configs', name, 'content'], where: `config ${name}`, text: c.content });
  return out;
}

export const hardcodedIp: LintRule = {
  id: 'hardcoded-ip',
  severity: 'warning',
  why: 'container addresses change when containers are recreated; a literal address goes stale',
  fix: 'refer to the service by name (or a network alias)',
  check({ project }) {
    const subnets = declaredSubnets(project);
    const ranges: Subnet[] = subnets.length ? subnets : PRIVATE_RANGES.map((r) => ({ ...r, network: '' }));
    const hits: RuleHit[] = [];
    for (const v of values(project)) {
      for (const ip of new Set(ipv4Literals(v.text))) {
        const n = ipv4Number(ip) as number;
        const range = ranges.find((r) => inCidr(n, r));
        if (!range) continue;
        const inside = range.network
          ? `inside network ${range.network}'s subnet ${range.text}`
          : `a private address (no subnet is declared, so any container network may use it)`;
        const owner = ownerOf(project, ip);
        hits.push({
          service: v.service,
          path: v.path,
          message: `${v.where} hard-codes ${ip}, ${inside}`,
          fix: owner
            ? `use the service name ${owner} if the program accepts names; otherwise keep ${ip} in step with ${owner}'s ipv4_address`
            : `use a service name or alias instead of ${ip}`,
        });
      }
    }
    return hits;
  },
};
