import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeClient } from '../../test/support/node-client.ts';
import { databaseKind } from '../../test/support/database.ts';
import { type TestHub, startTestHub } from '../../test/support/hub.ts';
import { nodes } from '../nodes/nodes.sql.ts';

// The hub remembers node keys per isolate; these show that memory never outlives a change in the database.
describe(`node authentication with remembered keys (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  async function registered(id: string) {
    const node = await nodeClient(hub.url, id);
    const res = await (await hub.client('admin')).api.v1.nodes.$post({ json: { id, name: id, publicJwk: node.publicJwk, admins: [] } });
    expect(res.status).toBe(201);
    return node;
  }
  const heartbeat = (n: Awaited<ReturnType<typeof nodeClient>>) =>
    n.call('POST', '/api/v1/bridge/heartbeat', { version: 'test', datasets: [] });

  it('refuses a node as soon as it is disabled, though its key is remembered, and takes it back when enabled', async () => {
    const node = await registered('auth-disabled');
    expect((await heartbeat(node)).status).toBe(200);
    await hub.services.db.update(nodes).set({ status: 'disabled' }).where(eq(nodes.id, node.nodeId));
    const refused = await heartbeat(node);
    expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    await hub.services.db.update(nodes).set({ status: 'active' }).where(eq(nodes.id, node.nodeId));
    expect((await heartbeat(node)).status).toBe(200);
  });

  it('refuses the old key and accepts the new one as soon as the registered key is replaced', async () => {
    const old = await registered('auth-rotated');
    expect((await heartbeat(old)).status).toBe(200);
    const renewed = await nodeClient(hub.url, old.nodeId);
    await hub.services.db.update(nodes).set({ publicJwk: renewed.publicJwk }).where(eq(nodes.id, old.nodeId));
    const stale = await heartbeat(old);
    expect(stale.status, JSON.stringify(stale.body)).toBe(401);
    const fresh = await heartbeat(renewed);
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    expect((await heartbeat(old)).status, 'the old key stays refused once the new one is remembered').toBe(401);
  });

  it('spends a token once, also when the key came from memory', async () => {
    const node = await registered('auth-replay');
    expect((await heartbeat(node)).status).toBe(200);
    const first = await heartbeat(node);
    expect(first.status).toBe(200);
    const replay = await node.call('POST', '/api/v1/bridge/heartbeat', { version: 'test', datasets: [] }, { token: first.token });
    expect(replay.status, JSON.stringify(replay.body)).toBe(401);
    expect(replay.body).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});
