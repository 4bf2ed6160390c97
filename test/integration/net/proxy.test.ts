// The userland fallback for published ports (hosts without nftables), on loopback only.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PortProxy } from '../../../src/runtime/embedded/net/proxy.js';
import { tryBind } from '../../../src/runtime/embedded/net/ports.js';

describe('PortProxy', () => {
  it('forwards TCP from a host port to the target and frees the port on stop', async () => {
    const target = createServer((s) => s.end('from target'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const targetPort = (target.address() as AddressInfo).port;
    const hostPort = (await tryBind('127.0.0.1', 0, 'tcp')) ?? 0;
    const proxy = new PortProxy([
      { hostIp: '127.0.0.1', hostPort, protocol: 'tcp', targetIp: '127.0.0.1', targetPort },
    ]);
    await proxy.start();
    const body = await new Promise<string>((resolve, reject) => {
      import('node:net').then(({ connect }) => {
        const c = connect(hostPort, '127.0.0.1');
        let data = '';
        c.on('data', (d) => (data += String(d)));
        c.on('end', () => resolve(data));
        c.on('error', reject);
      }, reject);
    });
    expect(body).toBe('from target');
    await proxy.stop();
    expect(await tryBind('127.0.0.1', hostPort, 'tcp')).toBe(hostPort);
    target.close();
  });
});
