// Reminders and auto-close from the sweep, on a clock the test moves: whoever must act on a
// negotiation standing still is reminded once per quiet spell, activity resets the count, and a
// negotiation idle past NEGOTIATION_AUTO_CLOSE_DAYS is closed by the hub (drafts are left alone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHubConfig } from '../../functions/config.ts';
import { runNegotiationSweep } from '../../functions/negotiation/sweep.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { draftWithAnswers, fire, introduce, manualClock, seedDatasets } from './negotiation-support.ts';

describe(`negotiation reminders and auto-close (${databaseKind()})`, () => {
  let hub: TestHub;
  let A: string;
  let B: string;
  const clock = manualClock();
  beforeAll(async () => {
    hub = await startTestHub({ clock, env: { NEGOTIATION_REMINDER_DAYS: '3', NEGOTIATION_AUTO_CLOSE_DAYS: '10' } });
    ({ A, B } = await seedDatasets(hub));
    await introduce(hub, 'admin', 'representative', 'dataholder', 'researcher');
  });
  afterAll(async () => hub?.stop());

  const reminders = async (who: string, id: string) => {
    const res = await (await hub.client(who)).api.v1.me.notifications.$get({ query: {} });
    return (await res.json()).notifications.filter((n) => n.link === `/negotiations/${id}` && n.kind === 'negotiation.reminder').length;
  };
  const state = async (id: string) =>
    (await (await (await hub.client('admin')).api.v1.negotiations[':id'].$get({ param: { id } })).json()).state;

  it('reminds the admins of a submission standing still, once, and not the researcher', async () => {
    const id = await draftWithAnswers(hub, [A]);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    clock.advanceDays(2);
    await runNegotiationSweep(hub.services);
    expect(await reminders('admin', id)).toBe(0);
    clock.advanceDays(2);
    await runNegotiationSweep(hub.services);
    await runNegotiationSweep(hub.services);
    expect(await reminders('admin', id)).toBe(1);
    expect(await reminders('researcher', id)).toBe(0);
    // Closed once idle past the limit, with the hub as the actor, and the researcher told.
    clock.advanceDays(7);
    await runNegotiationSweep(hub.services);
    expect(await state(id)).toBe('ABANDONED');
    const view = await (await (await hub.client('researcher')).api.v1.negotiations[':id'].$get({ param: { id } })).json();
    expect(view.timeline.at(-1)).toMatchObject({ event: 'abandon', actor: 'hub', role: 'hub', from: 'SUBMITTED', to: 'ABANDONED' });
    const told = (await (await (await hub.client('researcher')).api.v1.me.notifications.$get({ query: {} })).json()).notifications.filter(
      (n) => n.link === `/negotiations/${id}` && n.kind === 'negotiation.abandon',
    );
    expect(told).toHaveLength(1);
  });

  it('reminds the representative whose dataset waits, not the other one; activity starts the count again', async () => {
    const id = await draftWithAnswers(hub, [A, B]);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    expect((await fire(hub, 'admin', id, 'approve')).status).toBe(200);
    const admin = await hub.client('admin');
    await admin.api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({
      param: { id, datasetId: A },
      json: { event: 'contact_representative' },
    });
    await admin.api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({
      param: { id, datasetId: B },
      json: { event: 'mark_unreachable' },
    });
    clock.advanceDays(2);
    // A post is activity: the quiet spell starts again from here.
    expect(
      (await (await hub.client('researcher')).api.v1.negotiations[':id'].posts.$post({ param: { id }, json: { body: 'Any news?' } }))
        .status,
    ).toBe(201);
    clock.advanceDays(2);
    await runNegotiationSweep(hub.services);
    expect(await reminders('representative', id)).toBe(0);
    clock.advanceDays(2);
    await runNegotiationSweep(hub.services);
    expect(await reminders('representative', id)).toBe(1);
    expect(await reminders('dataholder', id)).toBe(0);
    // B is unreachable: it is the admin's turn there.
    expect(await reminders('admin', id)).toBe(1);
    expect(await state(id)).toBe('IN_PROGRESS');
  });

  it('leaves drafts open however long they wait', async () => {
    const id = await draftWithAnswers(hub, [A]);
    clock.advanceDays(30);
    await runNegotiationSweep(hub.services);
    expect(await state(id)).toBe('DRAFT');
    expect(await reminders('researcher', id)).toBe(1);
  });

  it('refuses a reminder that would come after the auto-close, naming the setting', () => {
    expect(() => loadHubConfig({ NEGOTIATION_REMINDER_DAYS: '30', NEGOTIATION_AUTO_CLOSE_DAYS: '20' })).toThrow(
      /NEGOTIATION_REMINDER_DAYS: must be fewer days/,
    );
    expect(() => loadHubConfig({ NEGOTIATION_ATTACHMENT_MAX_BYTES: 'lots' })).toThrow(/NEGOTIATION_ATTACHMENT_MAX_BYTES/);
  });
});
