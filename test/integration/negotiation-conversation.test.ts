// The conversation around a negotiation through a real hub: public posts and private threads per
// dataset with who may read and write them, the timeline, and notifications (in-app and mail via the
// outbox) told exactly once, a double submission included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../functions/adapters/mailer-outbox.sql.ts';
import { runNegotiationSweep } from '../../functions/negotiation/sweep.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { draftWithAnswers, type ErrorBody, fire, introduce, seedDatasets } from './negotiation-support.ts';

describe(`negotiation conversation and notifications (${databaseKind()})`, () => {
  let hub: TestHub;
  let A: string;
  let B: string;
  beforeAll(async () => {
    hub = await startTestHub();
    ({ A, B } = await seedDatasets(hub));
    await introduce(hub, 'admin', 'representative', 'dataholder', 'researcher');
  });
  afterAll(async () => hub?.stop());

  const post = async (who: string, id: string, body: string, datasetId?: string) => {
    const res = await (await hub.client(who)).api.v1.negotiations[':id'].posts.$post({ param: { id }, json: { body, datasetId } });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const postsSeenBy = async (who: string, id: string) => {
    const res = await (await hub.client(who)).api.v1.negotiations[':id'].posts.$get({ param: { id } });
    if (res.status !== 200) return res.status;
    return (await res.json()).posts.map((p) => p.body);
  };
  const notices = async (who: string, id: string, kind?: string) => {
    const res = await (await hub.client(who)).api.v1.me.notifications.$get({ query: {} });
    return (await res.json()).notifications.filter((n) => n.link === `/negotiations/${id}` && (!kind || n.kind === kind));
  };

  it('shows public posts to every party and private threads only to that dataset’s side', async () => {
    const id = await draftWithAnswers(hub, [A, B]);
    expect((await post('researcher', id, 'Hello everyone')).status).toBe(201);
    expect((await post('researcher', id, 'Only for A', A)).status).toBe(201);
    const reply = await post('representative', id, 'A answers privately', A);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ role: 'representative', datasetId: A });

    expect(await postsSeenBy('researcher', id)).toEqual(['Hello everyone', 'Only for A', 'A answers privately']);
    expect(await postsSeenBy('admin', id)).toEqual(['Hello everyone', 'Only for A', 'A answers privately']);
    expect(await postsSeenBy('representative', id)).toEqual(['Hello everyone', 'Only for A', 'A answers privately']);
    expect(await postsSeenBy('dataholder', id)).toEqual(['Hello everyone']);
    expect(await postsSeenBy('outsider', id)).toBe(404);
  });

  it('refuses to write in another dataset’s private thread (403) and anyone outside the request (404)', async () => {
    const id = await draftWithAnswers(hub, [A, B]);
    const intruder = await post('dataholder', id, 'peeking into A', A);
    expect(intruder.status, JSON.stringify(intruder.body)).toBe(403);
    expect((intruder.body as ErrorBody).error.code).toBe('forbidden');
    expect((await post('representative', id, 'speaking for B', B)).status).toBe(403);
    expect((await post('outsider', id, 'hi')).status).toBe(404);
    expect((await post('researcher', id, 'a dataset not requested', crypto.randomUUID())).status).toBe(404);
    const empty = await post('researcher', id, '   ');
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('write something');
  });

  it('tells the other side of a post, and only them', async () => {
    const id = await draftWithAnswers(hub, [A, B]);
    await post('researcher', id, 'Question for A', A);
    expect(await notices('representative', id, 'negotiation.post.created')).toHaveLength(1);
    expect(await notices('dataholder', id, 'negotiation.post.created')).toHaveLength(0);
    expect(await notices('researcher', id, 'negotiation.post.created')).toHaveLength(0);
    await post('representative', id, 'Answer from A', A);
    expect(await notices('researcher', id, 'negotiation.post.created')).toHaveLength(1);
    await post('researcher', id, 'To all');
    expect(await notices('dataholder', id, 'negotiation.post.created')).toHaveLength(1);
    expect(await notices('representative', id, 'negotiation.post.created')).toHaveLength(2);
  });

  it('makes one transition, one notification and one mail of a double submission', async () => {
    const id = await draftWithAnswers(hub, [A]);
    const [one, two] = await Promise.all([fire(hub, 'researcher', id, 'submit'), fire(hub, 'researcher', id, 'submit')]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    // The sweep dispatching again (as after a crash) must not tell anyone twice.
    await runNegotiationSweep(hub.services);
    expect(await notices('admin', id, 'negotiation.submit')).toHaveLength(1);
    const mails = (await hub.services.db.select().from(mailOutbox)).filter(
      (m) => m.text.includes(`/negotiations/${id}`) && m.to === 'admin@demo.eucaim.local',
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('submit');
    const view = await (await (await hub.client('researcher')).api.v1.negotiations[':id'].$get({ param: { id } })).json();
    expect(view.timeline.filter((t) => t.event === 'submit')).toHaveLength(1);
  });

  it('tells the researcher of approval and each dataset step, and keeps every event and post on the timeline', async () => {
    const id = await draftWithAnswers(hub, [A]);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    expect((await fire(hub, 'admin', id, 'approve')).status).toBe(200);
    const admin = await hub.client('admin');
    const step = await admin.api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({
      param: { id, datasetId: A },
      json: { event: 'contact_representative' },
    });
    expect(step.status).toBe(200);
    await post('representative', id, 'We are checking');
    expect((await notices('researcher', id)).map((n) => n.kind).sort()).toEqual([
      'negotiation.approve',
      'negotiation.dataset.contact_representative',
      'negotiation.post.created',
    ]);
    expect((await notices('representative', id)).map((n) => n.kind).sort()).toEqual([
      'negotiation.approve',
      'negotiation.dataset.contact_representative',
    ]);

    const res = await (await hub.client('researcher')).api.v1.negotiations[':id'].timeline.$get({ param: { id } });
    const { entries } = await res.json();
    expect(entries.map((e) => `${e.kind}:${e.who}`)).toEqual(['event:researcher', 'event:admin', 'event:admin', 'post:representative']);
    expect(entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });
});
