// A negotiation through a real hub, database and OIDC provider: created for catalogue datasets,
// the form filled and submitted, approved, each dataset walked by its own representative, one to a
// signed grant and one to "not made available", and the negotiation concluding by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyGrant } from '../../shared/negotiation/grant.ts';
import type { DatasetEvent, NegotiationEvent } from '../../shared/negotiation/lifecycle.ts';
import { sampleAnswers } from '../../shared/negotiation/sample-answers.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { seedDatasets } from './negotiation-support.ts';

type Body = {
  state?: string;
  datasets?: { id: string; state: string }[];
  timeline?: { event: string; role: string }[];
  error?: { code: string; details?: unknown };
};

describe(`negotiation lifecycle through the hub (${databaseKind()})`, () => {
  let hub: TestHub;
  // Dataset A is represented by `representative`, B by `dataholder`.
  let A: string;
  let B: string;

  beforeAll(async () => {
    hub = await startTestHub();
    ({ A, B } = await seedDatasets(hub));
  });
  afterAll(async () => hub?.stop());

  const create = async (who: string, ids: string[]) => {
    const res = await (await hub.client(who)).api.v1.negotiations.$post({ json: { resources: ids.map((id) => ({ id })) } });
    return { status: res.status, body: (await res.json()) as unknown as Body & { id: string } };
  };
  const fire = async (who: string, id: string, event: NegotiationEvent) => {
    const res = await (await hub.client(who)).api.v1.negotiations[':id'].events.$post({ param: { id }, json: { event } });
    return { status: res.status, body: (await res.json()) as unknown as Body };
  };
  const fireOn = async (
    who: string,
    id: string,
    datasetId: string,
    event: DatasetEvent,
    grant?: { access: 'REMOTE_PROCESSING'; conditions: string; validDays: number },
  ) => {
    const res = await (await hub.client(who)).api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({
      param: { id, datasetId },
      json: { event, grant },
    });
    return { status: res.status, body: (await res.json()) as unknown as Body };
  };
  const expectOk = (r: { status: number; body: unknown }) => expect(r.status, JSON.stringify(r.body)).toBe(200);
  const saveAnswers = async (id: string, answers: Record<string, unknown>) =>
    (await hub.client('researcher')).api.v1.negotiations[':id'].answers.$put({ param: { id }, json: { answers } });

  it('refuses a request for a dataset the catalogue does not have, naming it', async () => {
    const unknown = crypto.randomUUID();
    const r = await create('researcher', [A, unknown]);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(JSON.stringify(r.body.error?.details)).toContain(unknown);
  });

  it('walks a negotiation from draft to concluded, with a grant that verifies offline', async () => {
    const created = await create('researcher', [A, B]);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect(created.body.state).toBe('DRAFT');

    // Submitting an empty form: 422 per field; fields the form lacks are refused even in a draft.
    const empty = await fire('researcher', id, 'submit');
    expect(empty.status).toBe(422);
    expect(empty.body.error?.details).toContainEqual({ path: 'confirmation.personal_data', message: 'must be confirmed' });
    expect((await saveAnswers(id, { favourite_colour: 'blue' })).status).toBe(422);
    const byRepresentative = await (await hub.client('representative')).api.v1.negotiations[':id'].answers.$put({
      param: { id },
      json: { answers: sampleAnswers() },
    });
    expect(byRepresentative.status).toBe(403);
    expect((await saveAnswers(id, sampleAnswers())).status).toBe(200);
    expectOk(await fire('researcher', id, 'submit'));

    // Wrong role (403), wrong time (409 with what the caller may do now), datasets frozen until approval.
    expect((await fire('representative', id, 'approve')).status).toBe(403);
    const again = await fire('researcher', id, 'submit');
    expect(again.status).toBe(409);
    expect(again.body.error?.details).toEqual({ state: 'SUBMITTED', allowed: ['abandon'] });
    expect((await fireOn('admin', id, A, 'contact_representative')).body.error?.details).toEqual({ state: 'SUBMITTED', allowed: [] });
    expect((await saveAnswers(id, sampleAnswers())).status).toBe(409);
    const waiting = async (who: string) =>
      (await (await (await hub.client(who)).api.v1.negotiations.waiting.$get()).json()).negotiations.find((n) => n.id === id);
    expect(await waiting('admin')).toMatchObject({ state: 'SUBMITTED', events: ['approve', 'decline'], datasets: [] });
    expect(await waiting('representative')).toBeUndefined();
    expectOk(await fire('admin', id, 'approve'));
    for (const d of [A, B]) expectOk(await fireOn('admin', id, d, 'contact_representative'));

    // Now the representative has something to do, for their dataset only.
    expect(await waiting('representative')).toMatchObject({
      events: [],
      datasets: [{ id: A, state: 'REPRESENTATIVE_CONTACTED', events: ['return_for_resubmission', 'check_availability', 'step_away'] }],
    });
    // A representative acts only on the datasets they represent.
    expect((await fireOn('representative', id, B, 'check_availability')).status).toBe(403);
    for (const e of ['check_availability', 'mark_available', 'indicate_access_conditions'] as const)
      expectOk(await fireOn('representative', id, A, e));
    expectOk(await fireOn('researcher', id, A, 'accept_access_conditions'));
    expect((await fireOn('representative', id, A, 'grant_access')).status).toBe(400);
    const grant = { access: 'REMOTE_PROCESSING' as const, conditions: 'Results only.', validDays: 90 };
    const granted = await fireOn('representative', id, A, 'grant_access', grant);
    expectOk(granted);
    expect(granted.body.state).toBe('IN_PROGRESS');
    expect((await fireOn('representative', id, A, 'grant_access', grant)).status).toBe(409);

    // B ends "not made available": a final state too, so the negotiation concludes by itself.
    for (const e of ['check_availability', 'mark_available', 'indicate_access_conditions'] as const)
      expectOk(await fireOn('dataholder', id, B, e));
    const declined = await fireOn('researcher', id, B, 'decline_access_conditions');
    expectOk(declined);
    expect(declined.body.state).toBe('CONCLUDED');
    expect(declined.body.datasets).toEqual(
      expect.arrayContaining([
        { id: A, state: 'RESOURCE_MADE_AVAILABLE' },
        { id: B, state: 'RESOURCE_NOT_MADE_AVAILABLE' },
      ]),
    );
    expect(declined.body.timeline?.at(-1)).toMatchObject({ event: 'conclude', role: 'hub' });

    const grants = await (await (await hub.client('researcher')).api.v1.grants.$get()).json();
    const mine = grants.grants.filter((g) => g.negotiationId === id);
    expect(mine).toHaveLength(1);
    const jwks = await (await (await hub.client()).api.v1.negotiation.keys.$get()).json();
    const claims = await verifyGrant(mine[0]?.jws ?? '', jwks, { issuer: hub.url, user: 'researcher', dataset: A });
    expect(claims).toMatchObject({ access: 'REMOTE_PROCESSING', conditions: 'Results only.', negotiation: id });

    // Only an admin revokes; the grant then lists as revoked, and revoking again keeps the first time.
    const grantId = mine[0]?.id ?? '';
    expect((await (await hub.client('representative')).api.v1.grants[':id'].revoke.$post({ param: { id: grantId } })).status).toBe(403);
    const revoked = await (await hub.client('admin')).api.v1.grants[':id'].revoke.$post({ param: { id: grantId } });
    const first = await revoked.json();
    expect(revoked.status, JSON.stringify(first)).toBe(200);
    const second = await (await (await hub.client('admin')).api.v1.grants[':id'].revoke.$post({ param: { id: grantId } })).json();
    expect(second).toEqual(first);
    const after = await (await (await hub.client('researcher')).api.v1.grants.$get()).json();
    expect(after.grants.find((g) => g.id === grantId)?.revoked).toBe(true);

    // Both ends of the access are in the tamper-evident log, which the dataset's representative reads.
    const traces = await (await (await hub.client('representative')).tracer.api.v1.traces.$get({ query: { datasetId: A } })).json();
    const actions = traces.traces.map((t) => [t.userAction, t.userId, JSON.stringify(t.payload).includes(id)]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['ACCESS_GRANTED', 'researcher', true],
        ['ACCESS_REVOKED', 'researcher', true],
      ]),
    );
  });

  it('hides a negotiation from users who are neither its author, a representative of its datasets, nor an admin', async () => {
    const { body } = await create('researcher', [A]);
    expect((await (await hub.client('outsider')).api.v1.negotiations[':id'].$get({ param: { id: body.id } })).status).toBe(404);
    expect((await (await hub.client('dataholder')).api.v1.negotiations[':id'].$get({ param: { id: body.id } })).status).toBe(404);
    expect((await (await hub.client('representative')).api.v1.negotiations[':id'].$get({ param: { id: body.id } })).status).toBe(200);
  });

  it('makes one transition of a double submission and refuses the other', async () => {
    const { body } = await create('researcher', [A]);
    expect((await saveAnswers(body.id, sampleAnswers())).status).toBe(200);
    const both = await Promise.all([fire('researcher', body.id, 'submit'), fire('researcher', body.id, 'submit')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const view = (await (
      await (await hub.client('researcher')).api.v1.negotiations[':id'].$get({ param: { id: body.id } })
    ).json()) as unknown as Body;
    expect(view.timeline?.filter((t) => t.event === 'submit')).toHaveLength(1);
  });
});
