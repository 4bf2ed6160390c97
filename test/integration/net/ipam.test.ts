// Address rules without the kernel: statics first, sticky memory, sequential mode, pool carving.
import { describe, expect, it } from 'vitest';
import { assignAddress, pickSubnet, planAddressing } from '../../../src/runtime/embedded/net/ipam.js';
import { mustCidr, formatCidr } from '../../../src/runtime/embedded/net/ipv4.js';
import type { NetworkRecord } from '../../../src/runtime/embedded/net/state.js';

function net(over: Partial<NetworkRecord> = {}): NetworkRecord {
  return {
    id: 'x',
    name: 'p_net',
    key: 'net',
    project: 'p',
    labels: {},
    driver: 'bridge',
    bridge: 'cmpb0000000000',
    subnet: '10.9.0.0/24',
    gateway: '10.9.0.1',
    internal: false,
    ipAssignment: 'sticky',
    reserved: [],
    attachments: [],
    createdAt: 0,
    ...over,
  };
}

function attached(n: NetworkRecord, containerId: string, ipv4: string, identity: string): void {
  n.attachments.push({ containerId, iface: 'eth0', hostVeth: 'cmpv', ipv4, aliases: [identity], identity });
}

describe('ipam', () => {
  it('never hands a reserved static address to a dynamic container', () => {
    const n = net({ reserved: ['10.9.0.2'] });
    expect(assignAddress(n, {}, { containerId: 'a', identity: 'p/a/1' }).ipv4).toBe('10.9.0.3');
    expect(assignAddress(n, {}, { containerId: 'b', identity: 'p/b/1', ipv4: '10.9.0.2' }).ipv4).toBe(
      '10.9.0.2',
    );
  });

  it('gives a remembered address back, and explains when a static address took it', () => {
    const n = net();
    expect(assignAddress(n, { 'p/a/1': '10.9.0.7' }, { containerId: 'a', identity: 'p/a/1' }).ipv4).toBe(
      '10.9.0.7',
    );
    n.reserved.push('10.9.0.7');
    const moved = assignAddress(n, { 'p/a/1': '10.9.0.7' }, { containerId: 'a', identity: 'p/a/1' });
    expect(moved.ipv4).toBe('10.9.0.2');
    expect(moved.note).toMatch(
      /p\/a\/1 had 10\.9\.0\.7 .* reserved for a static ipv4_address; it gets 10\.9\.0\.2/,
    );
  });

  it('skips addresses other identities remember, unless assignment is sequential', () => {
    const memory = { 'p/a/1': '10.9.0.2' };
    expect(assignAddress(net(), memory, { containerId: 'b', identity: 'p/b/1' }).ipv4).toBe('10.9.0.3');
    const seq = net({ ipAssignment: 'sequential' });
    expect(assignAddress(seq, memory, { containerId: 'b', identity: 'p/b/1' }).ipv4).toBe('10.9.0.2');
  });

  it("hands an address held by the identity's previous container to its replacement", () => {
    const n = net();
    attached(n, 'old', '10.9.0.7', 'p/b/1');
    const memory = { 'p/b/1': '10.9.0.7' };
    expect(assignAddress(n, memory, { containerId: 'new', identity: 'p/b/1' })).toEqual({
      ipv4: '10.9.0.7',
      after: 'old',
    });
    expect(assignAddress(n, memory, { containerId: 'new', identity: 'p/b/1', ipv4: '10.9.0.7' })).toEqual({
      ipv4: '10.9.0.7',
      after: 'old',
    });
    // Another identity, or no identity (a one-off), never takes it.
    expect(assignAddress(n, memory, { containerId: 'x', identity: 'p/c/1' }).ipv4).toBe('10.9.0.2');
    expect(assignAddress(n, memory, { containerId: 'x' }).ipv4).toBe('10.9.0.2');
    const seq = net({ ipAssignment: 'sequential', attachments: n.attachments });
    expect(assignAddress(seq, memory, { containerId: 'new', identity: 'p/b/1' })).toEqual({
      ipv4: '10.9.0.2',
    });
  });

  it('rejects statics outside the subnet, on the gateway, or in use', () => {
    const n = net();
    attached(n, 'a', '10.9.0.5', 'p/a/1');
    expect(() => assignAddress(n, {}, { containerId: 'b', ipv4: '10.8.0.5' })).toThrow(
      /not a usable address/,
    );
    expect(() => assignAddress(n, {}, { containerId: 'b', ipv4: '10.9.0.1' })).toThrow(/gateway/);
    expect(() => assignAddress(n, {}, { containerId: 'b', ipv4: '10.9.0.5' })).toThrow(/already taken by/);
  });

  it('hands dynamic addresses out of ip_range only', () => {
    const n = net({ ipRange: '10.9.0.128/25' });
    expect(assignAddress(n, {}, { containerId: 'a', identity: 'p/a/1' }).ipv4).toBe('10.9.0.128');
  });

  it('carves pool subnets around taken ranges and honours ipam config', () => {
    const pool = { cidr: mustCidr('10.89.0.0/16', 'p'), prefix: 24 };
    const c = pickSubnet(pool, [mustCidr('10.89.0.0/23', 't')]);
    expect(formatCidr(c)).toBe('10.89.2.0/24');
    const a = planAddressing(
      'p_n',
      [{ subnet: '172.30.0.0/16', gateway: '172.30.0.254', ip_range: '172.30.5.0/24' }],
      pool,
      [],
      undefined,
    );
    expect(a).toEqual({
      subnet: '172.30.0.0/16',
      gateway: '172.30.0.254',
      ipRange: '172.30.5.0/24',
      aux: [],
    });
    expect(() =>
      planAddressing(
        'p_n',
        [{ subnet: '10.89.0.0/24' }],
        pool,
        [{ cidr: mustCidr('10.89.0.0/16', 'x'), owner: 'network q' }],
        undefined,
      ),
    ).toThrow(/overlaps 10\.89\.0\.0\/16 \(network q\)/);
    // The subnet a network had last time comes back when it is free.
    expect(planAddressing('p_n', undefined, pool, [], '10.89.9.0/24').subnet).toBe('10.89.9.0/24');
  });
});
