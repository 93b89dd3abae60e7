// Signed webhooks to a real HTTP receiver on loopback: every happening is delivered as JSON signed
// with HMAC-SHA256 over `id.timestamp.payload`, marked delivered only on a valid acknowledgement,
// retried with backoff otherwise (a forged acknowledgement included), and given up after the limit.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiationWebhookDeliveries } from '../../functions/negotiation/conversation.sql.ts';
import { backoffMs, deliverDueWebhooks } from '../../functions/negotiation/webhooks.ts';
import { runNegotiationSweep } from '../../functions/negotiation/sweep.ts';
import { eq } from 'drizzle-orm';
import { verifyWebhook, webhookAck } from '../../shared/negotiation/webhook-signature.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { draftWithAnswers, fire, manualClock, seedDatasets } from './negotiation-support.ts';

type Mode = 'honest' | 'forged' | 'bare' | 'down';
const SECRET = 'a-webhook-secret-of-at-least-32-chars!';

/** A receiver that checks the hub's signature and answers as `mode` says. */
async function receiver() {
  const got: { id: string; verified: boolean; payload: { id: string; type: string; negotiationId: string } }[] = [];
  const state = { mode: 'honest' as Mode };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const id = String(req.headers['webhook-id']);
      const timestamp = String(req.headers['webhook-timestamp']);
      const verified = await verifyWebhook(SECRET, { id, timestamp, signature: String(req.headers['webhook-signature']) }, body);
      got.push({ id, verified, payload: JSON.parse(body) });
      if (state.mode === 'down') return res.writeHead(500).end();
      if (state.mode === 'bare') return res.writeHead(200).end('ok');
      const ack = await webhookAck(state.mode === 'honest' ? SECRET : 'guessed-secret-guessed-secret-guessed', id, timestamp);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ack }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    state,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe(`negotiation webhooks (${databaseKind()})`, () => {
  let hub: TestHub;
  let A: string;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const clock = manualClock();
  beforeAll(async () => {
    hub = await startTestHub({ clock, env: { NEGOTIATION_WEBHOOK_MAX_ATTEMPTS: '3' } });
    ({ A } = await seedDatasets(hub));
    rx = await receiver();
  });
  afterAll(async () => {
    await hub?.stop();
    await rx?.close();
  });

  const register = async (who: string, json: { url: string; secret: string }) => {
    const res = await (await hub.client(who)).api.v1.negotiation.webhooks.$post({ json });
    return { status: res.status, body: (await res.json()) as unknown as { id: string } };
  };
  const deliveries = async (webhookId: string) =>
    hub.services.db.select().from(negotiationWebhookDeliveries).where(eq(negotiationWebhookDeliveries.webhookId, webhookId));
  /** Runs the sweep until the condition holds; the hub's own 2 s sweep may get there first, which is fine. */
  async function until(check: () => Promise<boolean>) {
    for (let i = 0; i < 50; i++) {
      if (await check()) return;
      await runNegotiationSweep(hub.services);
    }
    throw new Error('condition never held');
  }

  it('lets only admins register endpoints, never reads a secret back', async () => {
    expect((await register('researcher', { url: rx.url, secret: SECRET })).status).toBe(403);
    expect((await register('admin', { url: rx.url, secret: 'short' })).status).toBe(400);
    expect((await register('admin', { url: 'ftp://127.0.0.1/x', secret: SECRET })).status).toBe(400);
    const ok = await register('admin', { url: rx.url, secret: SECRET });
    expect(ok.status).toBe(201);
    const list = await (await (await hub.client('admin')).api.v1.negotiation.webhooks.$get()).json();
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect((await (await hub.client('admin')).api.v1.negotiation.webhooks[':id'].$delete({ param: { id: ok.body.id } })).status).toBe(200);
  });

  it('delivers each happening signed over id.timestamp.payload and marks it done on a valid acknowledgement', async () => {
    rx.state.mode = 'honest';
    const hook = await register('admin', { url: rx.url, secret: SECRET });
    const id = await draftWithAnswers(hub, [A]);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    await until(async () => (await deliveries(hook.body.id)).some((d) => d.deliveredAt));
    const mine = rx.got.filter((g) => g.payload.negotiationId === id);
    expect(mine.map((g) => [g.payload.type, g.verified])).toEqual([['negotiation.submit', true]]);
    expect(mine[0]?.id).toBe(mine[0]?.payload.id);
    await (await hub.client('admin')).api.v1.negotiation.webhooks[':id'].$delete({ param: { id: hook.body.id } });
  });

  it.each([
    ['a forged acknowledgement (signed with another secret)', 'forged'],
    ['a 2xx without an acknowledgement', 'bare'],
    ['an error status', 'down'],
  ] as const)('keeps retrying with backoff after %s, then gives up', async (_what, mode) => {
    rx.state.mode = mode;
    const hook = await register('admin', { url: rx.url, secret: SECRET });
    const id = await draftWithAnswers(hub, [A]);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    await until(async () => (await deliveries(hook.body.id))[0]?.attempts === 1);
    let [d] = await deliveries(hook.body.id);
    expect(d?.deliveredAt).toBeNull();
    expect(d?.lastError).toMatch(mode === 'down' ? /HTTP 500/ : /acknowledgement/);
    expect(d?.nextAttemptAt.getTime()).toBe(clock.now().getTime() + backoffMs(1));
    // Not due yet: nothing is sent again until the backoff has passed.
    await deliverDueWebhooks(hub.services);
    expect((await deliveries(hook.body.id))[0]?.attempts).toBe(1);
    for (const attempts of [2, 3]) {
      clock.advanceDays(1);
      await until(async () => (await deliveries(hook.body.id))[0]?.attempts === attempts);
    }
    [d] = await deliveries(hook.body.id);
    expect(d?.failedAt).not.toBeNull();
    expect(d?.deliveredAt).toBeNull();
    await (await hub.client('admin')).api.v1.negotiation.webhooks[':id'].$delete({ param: { id: hook.body.id } });
  });

  it('delivers after a failure once the receiver acknowledges properly', async () => {
    rx.state.mode = 'forged';
    const hook = await register('admin', { url: rx.url, secret: SECRET });
    const id = await draftWithAnswers(hub, [A]);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    await until(async () => (await deliveries(hook.body.id))[0]?.attempts === 1);
    rx.state.mode = 'honest';
    clock.advanceDays(1);
    await until(async () => Boolean((await deliveries(hook.body.id))[0]?.deliveredAt));
    expect((await deliveries(hook.body.id))[0]?.attempts).toBe(2);
    await (await hub.client('admin')).api.v1.negotiation.webhooks[':id'].$delete({ param: { id: hook.body.id } });
  });
});
