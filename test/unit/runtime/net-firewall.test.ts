// The firewall's text and the names that keep two cmp instances apart; the behaviour behind them is measured
// in test/e2e/security (isolation.test.ts, state-roots.test.ts).
import { describe, expect, it } from 'vitest';
import { renderRuleset } from '../../../src/runtime/embedded/net/firewall.js';
import {
  bridgeName,
  firewallComment,
  firewallTable,
  instanceTag,
} from '../../../src/runtime/embedded/net/names.js';
import type { NetworkRecord } from '../../../src/runtime/embedded/net/state.js';

function net(name: string, bridge: string, subnet: string, internal = false): NetworkRecord {
  return {
    id: name,
    name,
    key: 'default',
    project: 'p',
    labels: {},
    driver: 'bridge',
    bridge,
    subnet,
    gateway: subnet.replace(/0\/24$/, '1'),
    internal,
    ipAssignment: 'sticky',
    reserved: [],
    attachments: [],
    createdAt: 0,
  };
}

describe('per-instance names', () => {
  it('keeps the default state root’s names and gives any other root its own', () => {
    expect(instanceTag('/var/lib/cmp')).toBe('');
    expect(instanceTag('/var/lib/cmp/')).toBe('');
    expect(firewallTable('')).toBe('cmp');
    expect(firewallComment('')).toBe('cmp');
    const tag = instanceTag('/tmp/other-root');
    expect(tag).toMatch(/^[0-9a-f]{8}$/);
    expect(instanceTag('/tmp/another-root')).not.toBe(tag);
    expect(firewallTable(tag)).toBe(`cmp_${tag}`);
    expect(firewallComment(tag)).toBe(`cmp-${tag}`);
    // The same network name in two instances: two bridges, both within Linux's 15 characters.
    expect(bridgeName('p_default', tag)).not.toBe(bridgeName('p_default', ''));
    expect(bridgeName('p_default', tag)).toMatch(/^cmpb[0-9a-f]{10}$/);
  });
});

describe('renderRuleset', () => {
  const open = net('p_default', 'cmpb0000000001', '10.89.0.0/24');
  const sealed = net('p_inside', 'cmpb0000000002', '10.89.1.0/24', true);
  const text = renderRuleset([open, sealed], [], 'cmp_test');

  it('drops frames from any cmp bridge to 127/8 before routing and conntrack', () => {
    expect(text).toContain('table inet cmp_test {');
    expect(text).toMatch(
      /chain loopback_guard \{\n\s+type filter hook prerouting priority raw; policy accept;\n\s+iifname "cmpb\*" ip daddr 127\.0\.0\.0\/8 drop/,
    );
  });

  it('lets into a network from outside it only replies and published ports, and into Docker’s the same', () => {
    const unsolicited = 'ct state & (established | related) == 0 ct status & dnat == 0 drop';
    expect(text).toContain(`oifname "cmpb0000000001" iifname != "cmpb0000000001" ${unsolicited}`);
    expect(text).toContain(`iifname "cmpb*" oifname "docker0" ${unsolicited}`);
    expect(text).toContain(`iifname "cmpb*" oifname "br-*" ${unsolicited}`);
    // An internal network lets nothing in or out at all.
    expect(text).toContain('oifname "cmpb0000000002" iifname != "cmpb0000000002" drop');
  });

  it('renders nothing when there is nothing to filter', () => {
    expect(renderRuleset([], [], 'cmp_test')).toBe('');
  });
});
