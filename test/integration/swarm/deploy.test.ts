// `cmp deploy` / `cmp undeploy` against a single-node swarm: a stack with two overlay networks, a secret, a
// config and a volume; services reach each other by name; a replica change updates only that service;
// undeploy removes it all; a file Swarm cannot run is refused before anything is created.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmp, pollUntil, projectDir } from '../../e2e/helpers.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, testDocker } from '../../setup/dockerd.js';
import { ensureSwarm, leaveSwarm } from '../../setup/swarm.js';

const run = promisify(execFile);
const docker = testDocker();
const NS = 'com.docker.stack.namespace';

function stackYaml(clientReplicas: number): string {
  return `
services:
  web:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "mkdir -p /www && cat /run/secrets/token > /www/index.html && exec httpd -f -p 8080 -h /www"]
    networks: [front, back]
    secrets: [token]
    configs: [{source: motd, target: /etc/motd}]
    volumes: [data:/data]
    stop_grace_period: 1s
    # dnsrr: the name resolves to the task itself; the VIP mode needs the kernel's ip_vs, which CI may lack
    deploy: {endpoint_mode: dnsrr}
  client:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "3600"]
    networks: [front]
    stop_grace_period: 1s
    deploy:
      replicas: ${clientReplicas}
  store:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "3600"]
    networks: [back]
    stop_grace_period: 1s
networks:
  front: {attachable: true}
  back: {internal: true}
volumes:
  data: {}
secrets:
  token: {environment: CMP_SWARM_TOKEN}
configs:
  motd: {content: "hello from the config"}
`;
}

const byStack = (stack: string): { filters: string } => ({
  filters: JSON.stringify({ label: [`${NS}=${stack}`] }),
});

async function stackObjects(stack: string): Promise<string[]> {
  const names: string[] = [];
  for (const s of await docker.listServices(byStack(stack))) names.push(`service ${s.Spec?.Name ?? ''}`);
  for (const n of await docker.listNetworks(byStack(stack))) names.push(`network ${n.Name}`);
  for (const c of await docker.listConfigs(byStack(stack))) names.push(`config ${c.Spec?.Name ?? ''}`);
  for (const s of await docker.listSecrets(byStack(stack))) names.push(`secret ${s.Spec?.Name ?? ''}`);
  return names.sort();
}

async function runningContainer(service: string): Promise<string> {
  return pollUntil(
    `a running task of ${service}`,
    async () => {
      const list = await docker.listContainers({
        filters: JSON.stringify({ label: [`com.docker.swarm.service.name=${service}`], status: ['running'] }),
      });
      return list[0]?.Id;
    },
    60_000,
    250,
  );
}

async function execIn(container: string, cmd: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run('docker', ['exec', container, ...cmd], { timeout: 15_000 });
    return { ok: true, out: stdout };
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: string }).stderr ?? e) };
  }
}

async function serviceInfo(name: string): Promise<{ index: number; replicas: number | undefined }> {
  const s = (await docker.getService(name).inspect()) as {
    Version: { Index: number };
    Spec: { Mode?: { Replicated?: { Replicas?: number } } };
  };
  return { index: s.Version.Index, replicas: s.Spec.Mode?.Replicated?.Replicas };
}

describe('cmp deploy to Swarm', () => {
  const { dir, name } = projectDir(stackYaml(1));
  const stack = `cmpsw${name.slice(3)}`;
  const env = { CMP_SWARM_TOKEN: 'secret-page' };

  beforeAll(async () => {
    await ensureSwarm();
    await ensureBusyboxImage();
  }, 120_000);

  afterAll(async () => {
    await cmp(['undeploy', '--stack', stack], { cwd: dir, env });
    // volumes outlive the stack like with `docker stack rm`: the test removes its own once no task holds it
    await pollUntil(
      'the stack volume to be removable',
      async () => {
        try {
          await docker.getVolume(`${stack}_data`).remove();
          return true;
        } catch (e) {
          return (e as { statusCode?: number }).statusCode === 404;
        }
      },
      60_000,
      250,
    ).catch(() => undefined);
    await leaveSwarm();
  }, 120_000);

  it('refuses a file Swarm cannot run, saying where, before creating anything', async () => {
    const bad = projectDir(`
services:
  app:
    build: .
  other:
    image: ${BUSYBOX_IMAGE}
    restart: always
`);
    const badStack = `cmpsw${bad.name.slice(3)}`;
    const r = await cmp(['deploy', '--stack', badStack], { cwd: bad.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:4:5: services\.app\.build: Swarm cannot build images/);
    expect(r.stderr).toMatch(/warning: .*compose\.yaml:7:5: services\.other\.restart/);
    expect(r.stderr).toContain('nothing was deployed');
    expect(await stackObjects(badStack)).toEqual([]);
  });

  it('prints the specs with --dry-run and deploys nothing', async () => {
    const r = await cmp(['deploy', '--stack', stack, '--dry-run'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { services: { Name: string }[] };
    expect(plan.services.map((s) => s.Name).sort()).toEqual([
      `${stack}_client`,
      `${stack}_store`,
      `${stack}_web`,
    ]);
    expect(r.stdout).not.toContain('secret-page');
    expect(await stackObjects(stack)).toEqual([]);
  });

  it('deploys services that reach each other by name over their overlay network', async () => {
    const r = await cmp(['deploy', '--stack', stack], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const objects = await stackObjects(stack);
    expect(objects.filter((o) => o.startsWith('service '))).toEqual([
      `service ${stack}_client`,
      `service ${stack}_store`,
      `service ${stack}_web`,
    ]);
    expect(objects).toContain(`network ${stack}_front`);
    expect(objects).toContain(`network ${stack}_back`);
    expect(objects.some((o) => o.startsWith(`secret ${stack}_token-`))).toBe(true);
    expect(objects.some((o) => o.startsWith(`config ${stack}_motd-`))).toBe(true);
    const front = await docker.getNetwork(`${stack}_front`).inspect();
    expect(front.Driver).toBe('overlay');
    expect(front.Attachable).toBe(true);

    const client = await runningContainer(`${stack}_client`);
    // the page is the secret's content, served by web on the front network, fetched by name
    const page = await pollUntil(
      'web to answer by name from client',
      async () => {
        const res = await execIn(client, [
          'sh',
          '-c',
          'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 2 web 8080',
        ]);
        return res.ok && res.out.includes('200 OK') ? res.out : undefined;
      },
      60_000,
      500,
    );
    expect(page.trim().split('\n').pop()).toBe('secret-page');
    // store is only on `back`: client cannot resolve it
    const store = await execIn(client, ['nslookup', 'store']);
    expect(store.ok).toBe(false);
    const web = await runningContainer(`${stack}_web`);
    expect((await execIn(web, ['cat', '/etc/motd'])).out).toBe('hello from the config');
  }, 120_000);

  it('updates only the service whose spec changed when the file changes', async () => {
    const webBefore = await serviceInfo(`${stack}_web`);
    const clientBefore = await serviceInfo(`${stack}_client`);
    writeFileSync(join(dir, 'compose.yaml'), stackYaml(2));
    const r = await cmp(['deploy', '--stack', stack], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Updating service ${stack}_client`);
    expect(r.stderr).toContain(`Unchanged service ${stack}_web`);
    expect(await serviceInfo(`${stack}_web`)).toEqual(webBefore);
    const clientAfter = await serviceInfo(`${stack}_client`);
    expect(clientAfter.replicas).toBe(2);
    expect(clientAfter.index).toBeGreaterThan(clientBefore.index);
  }, 60_000);

  it('undeploy removes services, networks, configs and secrets', async () => {
    const r = await cmp(['undeploy', '--stack', stack], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(await stackObjects(stack)).toEqual([]);
  }, 90_000);
});
