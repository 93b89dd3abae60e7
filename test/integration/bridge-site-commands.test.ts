import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../bridge/commands.ts';
import { generateDemo } from '../../bridge/demo/generate.ts';
import { tempDir } from '../../bridge/test-support/temp-dir.ts';
import { BRIDGE_RELEASE, PROTOCOL_HEADER } from '../../shared/bridge-protocol.ts';
import { JOB_TYP, JobRefused, verifyJob } from '../../shared/job-protocol.ts';
import { generateNodeKeyPair, importPrivateKey, signNodeRequest } from '../../shared/node-auth.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

/**
 * A new site from nothing with the bridge's own commands, against the real hub: `init` (by flags and
 * at a terminal), the operator's registration from what it printed, `doctor`, `start`, `status` and
 * `healthcheck`; and the hub's side of protocol versions.
 */
let hub: TestHub;
let dir: Awaited<ReturnType<typeof tempDir>>;
const nodeId = `node-cmd-${crypto.randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  hub = await startTestHub();
  dir = await tempDir('site-');
  await generateDemo({ dataDir: join(dir.path, 'data'), seed: nodeId });
});
let stopAfterAll = () => {};
afterAll(async () => {
  stopAfterAll();
  await hub?.stop();
  await dir?.remove();
});

async function cli(
  argv: string[],
  opts: { env?: Record<string, string>; ask?: (q: string, d?: string) => Promise<string>; signal?: AbortSignal } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env: opts.env ?? {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ask: opts.ask,
    signal: opts.signal,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const registrationOf = (out: string) => JSON.parse(out.slice(out.indexOf('\n{') + 1, out.indexOf('\n}') + 2)) as Record<string, unknown>;

describe('a new site with init, doctor, start, status and healthcheck', () => {
  const config = () => join(dir.path, 'bridge.env');

  it('init asks at a terminal, checks everything, then writes settings, key and state and prints the registration', async () => {
    const answers: Record<string, string> = {
      'Node id': nodeId,
      "The hub's address": hub.url,
      'A name': 'Command test node',
      'The data folder': join(dir.path, 'data'),
    };
    const asked: string[] = [];
    const ask = async (q: string) => {
      asked.push(q);
      return Object.entries(answers).find(([k]) => q.startsWith(k))?.[1] ?? '';
    };
    const res = await cli(['init', '--config', config(), '--admin', 'dataholder'], { ask });
    expect(res.code, res.err).toBe(0);
    expect(asked.length).toBe(7);
    const registration = registrationOf(res.out);
    expect(registration).toMatchObject({ id: nodeId, name: 'Command test node', admins: ['dataholder'] });
    const settings = await readFile(config(), 'utf8');
    expect(settings).toMatch(new RegExp(`^NODE_ID=${nodeId}$`, 'm'));
    expect(settings).toMatch(/^HUB_JOB_KEYS='\[/m);
    expect((await stat(join(dir.path, 'node-key.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'state'))).isDirectory()).toBe(true);
    const admin = await hub.client('admin');
    expect((await admin.api.v1.nodes.$post({ json: registration as never })).status).toBe(201);
  });

  it('init refuses to write over a node, and by flags refuses a bad id before writing anything', async () => {
    const before = await readFile(config(), 'utf8');
    const again = await cli(['init', '--config', config(), '--node-id', nodeId, '--hub-url', hub.url, '--data-dir', dir.path]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--config .* already exists; pass --force/);
    expect(await readFile(config(), 'utf8')).toBe(before);
    const other = join(dir.path, 'other', 'bridge.env');
    const bad = await cli(['init', '--config', other, '--node-id', 'Node_A', '--hub-url', 'ftp://x', '--data-dir', dir.path]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--node-id "Node_A"/);
    expect(bad.err).toMatch(/--hub-url "ftp:\/\/x"/);
    await expect(stat(join(dir.path, 'other'))).rejects.toThrow(/ENOENT/);
  });

  it('doctor finds the new node ready: settings, key, folders, hub, clock, protocol, keys, registration', async () => {
    const res = await cli(['doctor', '--config', config()]);
    expect(res.code, res.out).toBe(0);
    for (const check of ['settings', 'key', 'state folder', 'hub', 'clock', 'protocol', 'job keys', 'registration'])
      expect(res.out, check).toMatch(new RegExp(`^ok\\s+${check}\\s`, 'm'));
  });

  it('start brings it online; status and healthcheck say so, and say it once stopped', async () => {
    const env = { BRIDGE_CONFIG: config() };
    expect((await cli(['healthcheck'], { env })).code).toBe(1);
    const controller = new AbortController();
    const running = cli(['start'], { env, signal: controller.signal });
    stopAfterAll = () => controller.abort();
    const deadline = Date.now() + 30_000;
    while ((await cli(['healthcheck'], { env })).code !== 0) {
      if (Date.now() > deadline) throw new Error('not healthy in time');
      await new Promise((r) => setTimeout(r, 200));
    }
    const status = await cli(['status'], { env });
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/^online\s+yes$/m);
    expect(status.out).toMatch(new RegExp(`^node\\s+${nodeId}, bridge ${BRIDGE_RELEASE} \\(protocol 1\\)$`, 'm'));
    expect(status.out).toMatch(/^index\s+\d+ s ago: 2 datasets/m);
    const listed = await (await hub.client('admin')).api.v1.nodes.$get();
    const me = (
      (await listed.json()) as { nodes: { id: string; version: string; protocol: number; update: { due: boolean } }[] }
    ).nodes.find((n) => n.id === nodeId);
    expect(me).toMatchObject({ version: BRIDGE_RELEASE, protocol: 1, update: { due: false } });
    controller.abort();
    expect((await running).code).toBe(0);
    expect((await cli(['healthcheck'], { env })).code).toBe(1);
    expect((await cli(['status'], { env })).out).toMatch(/^online\s+no: the bridge was stopped$/m);
  });
});

describe("the hub's side of protocol versions", () => {
  it('answers every bridge call with the protocols it serves, and refuses another protocol with what to do', async () => {
    const pair = await generateNodeKeyPair();
    const call = async (protocol?: string) => {
      const path = '/api/v1/bridge/heartbeat';
      const body = JSON.stringify({ version: '9.0.0', protocol: Number(protocol ?? 1), datasets: [] });
      const token = await signNodeRequest({
        nodeId: 'node-nobody',
        privateJwk: pair.privateJwk,
        audience: hub.url,
        method: 'POST',
        path,
        body,
      });
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      if (protocol) headers[PROTOCOL_HEADER] = protocol;
      return fetch(`${hub.url}${path}`, { method: 'POST', headers, body });
    };
    const future = await call('2');
    expect(future.status).toBe(426);
    expect(future.headers.get(PROTOCOL_HEADER)).toBe('1');
    const body = (await future.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error).toMatchObject({ code: 'unsupported_protocol', details: { served: { min: 1, max: 1 }, sent: 2 } });
    expect(body.error.message).toMatch(/the hub serves bridge protocol 1 and this bridge speaks protocol 2, which is newer/);
    // A bridge from before versioning sends no header: protocol 1, served (here refused only as an unknown node).
    const legacy = await call();
    expect(legacy.status).toBe(401);
    expect(legacy.headers.get(PROTOCOL_HEADER)).toBe('1');
    const keys = await fetch(`${hub.url}/api/v1/bridge/job-keys`);
    expect(keys.headers.get(PROTOCOL_HEADER)).toBe('1');
  });

  it('writes the protocol into every job, and a bridge refuses a job in a protocol it does not speak', async () => {
    const jws = await hub.services.jobSigner.sign({
      jobId: 'job-pv',
      nodeId: 'node-a',
      body: { kind: 'search.count', payload: { searchId: 's', query: { operand: 'OR', children: [] } } },
      ttlSeconds: 60,
      nowMs: Date.now(),
    });
    expect(decodeProtectedHeader(jws)).toMatchObject({ typ: JOB_TYP, pv: 1 });
    const pair = await generateNodeKeyPair();
    const future = await new SignJWT({ job: { kind: 'search.count', payload: { searchId: 's', query: { operand: 'OR', children: [] } } } })
      .setProtectedHeader({ alg: 'EdDSA', typ: JOB_TYP, kid: 'k', pv: 2 })
      .setIssuer('hub')
      .setAudience('node-a')
      .setSubject('node-a')
      .setJti('job-2')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(await importPrivateKey(pair.privateJwk));
    const refused = await verifyJob(future, {
      hubKeys: [{ ...pair.publicJwk, kid: 'k' } as never],
      issuer: 'hub',
      nodeId: 'node-a',
      seen: () => false,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JobRefused);
    expect((refused as JobRefused).reason).toBe('unsupported_protocol');
  });
});
