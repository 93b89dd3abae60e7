import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBridgeConfig } from '../../bridge/config.ts';
import { startBridge } from '../../bridge/start.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, makeNodeFixture, memoryLogger, bridgeEnv } from '../../bridge/test-support/node-fixture.ts';

/** A node that already runs its own mediator: MEDIATOR_URL makes the bridge ask it instead of its index. */
describe('a bridge in front of an external mediator', () => {
  let hub: HubStub;
  let node: NodeFixture;
  let mediator: Server;
  let bridge: Awaited<ReturnType<typeof startBridge>>;
  let reply = '';
  const bodies: string[] = [];

  beforeAll(async () => {
    node = await makeNodeFixture();
    hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
    mediator = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        bodies.push(`${req.headers.authorization} ${body}`);
        res.end(reply);
      });
    });
    await new Promise<void>((r) => mediator.listen(0, '127.0.0.1', r));
    const config = loadBridgeConfig({
      ...bridgeEnv(node, hub),
      MEDIATOR_URL: `http://127.0.0.1:${(mediator.address() as AddressInfo).port}`,
      MEDIATOR_SECRET: 'local-secret',
    });
    bridge = await startBridge(config, { logger: memoryLogger(), minPollIntervalMs: 20, longPollSeconds: 1, heartbeatIntervalMs: 200 });
  });
  afterAll(async () => {
    await bridge?.stop();
    await hub?.close();
    await new Promise<void>((r) => mediator?.close(() => r()));
    await node?.remove();
  });

  async function run(): Promise<Record<string, unknown>> {
    const jobId = `job-${crypto.randomUUID()}`;
    hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    return hub.results.find((r) => r.jobId === jobId)?.body as Record<string, unknown>;
  }

  it('passes on the mediator answer, obfuscated', async () => {
    reply = JSON.stringify({ collections: [{ id: 'm1', name: 'Mediated', studies_count: 123, subjects_count: 45 }] });
    const body = await run();
    expect(bodies.at(-1)).toMatch(/^Secret local-secret \{/);
    expect(body.status).toBe('answered');
    const result = body.result as { total: { studies_count: number }; collections: { id: string }[]; obfuscation: { applied: boolean } };
    expect(result.collections.map((c) => c.id)).toEqual(['m1']);
    expect(result.total.studies_count % 10).toBe(0);
    expect(result.obfuscation.applied).toBe(true);
  });

  it('answers error with the reason when the mediator talks garbage', async () => {
    reply = 'Internal proxy page';
    expect(await run()).toMatchObject({
      status: 'error',
      error: { code: 'mediator_failed', message: 'the local mediator answered with something that is not JSON' },
    });
  });
});
