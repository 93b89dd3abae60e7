// The application form as data in the database: admins read and replace it (422 per problem),
// versions are numbered by the hub, new negotiations start on the newest version, and a negotiation
// keeps, and is checked against, the version it started with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eucaimApplicationForm } from '../../shared/negotiation/form-template.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { draftWithAnswers, type ErrorBody, fire, seedDatasets } from './negotiation-support.ts';

describe(`application form definitions (${databaseKind()})`, () => {
  let hub: TestHub;
  let A: string;
  beforeAll(async () => {
    hub = await startTestHub();
    ({ A } = await seedDatasets(hub));
  });
  afterAll(async () => hub?.stop());

  const put = async (who: string, json: Record<string, unknown>) => {
    const res = await (await hub.client(who)).api.v1.negotiation['form-definition'].$put({ json });
    return { status: res.status, body: (await res.json()) as unknown as { version: number } & ErrorBody };
  };
  /** The template with one more required question in the contact section. */
  const withQuestion = () => ({
    ...eucaimApplicationForm,
    sections: eucaimApplicationForm.sections.map((s) =>
      s.id === 'contact' ? { ...s, elements: [...s.elements, { type: 'text', id: 'orcid', label: 'ORCID iD', required: true }] } : s,
    ),
  });

  it('lets only admins read and replace the form', async () => {
    expect((await (await hub.client('researcher')).api.v1.negotiation['form-definition'].$get()).status).toBe(403);
    expect((await put('representative', withQuestion())).status).toBe(403);
    const res = await (await hub.client('admin')).api.v1.negotiation['form-definition'].$get();
    expect(res.status).toBe(200);
    expect((await res.json()).version).toBe(eucaimApplicationForm.version);
  });

  it('answers 422 with one entry per problem and stores nothing', async () => {
    const broken = {
      ...eucaimApplicationForm,
      sections: [
        {
          id: 'a',
          title: 'A',
          elements: [
            { type: 'text', id: 'dup', label: 'One' },
            { type: 'text', id: 'dup', label: 'Two' },
            { type: 'magic', id: 'x', label: 'X' },
          ],
        },
      ],
      colour: 'blue',
    };
    const res = await put('admin', broken);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toContain('sections[0].elements[2].type');
    expect(paths).toContain('(root)');
    const current = await (await (await hub.client('researcher')).api.v1.negotiation.form.$get()).json();
    expect(current.version).toBe(eucaimApplicationForm.version);
  });

  it('starts new negotiations on the new version while older ones keep theirs', async () => {
    const older = await draftWithAnswers(hub, [A]);
    const saved = await put('admin', { ...withQuestion(), version: 99 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.version).toBe(eucaimApplicationForm.version + 1);
    const researcher = await hub.client('researcher');
    const served = await (await researcher.api.v1.negotiation.form.$get()).json();
    expect(served.version).toBe(eucaimApplicationForm.version + 1);

    const newer = await draftWithAnswers(hub, [A]);
    const formOf = async (id: string) => (await (await researcher.api.v1.negotiations[':id'].form.$get({ param: { id } })).json()).version;
    expect(await formOf(older)).toBe(eucaimApplicationForm.version);
    expect(await formOf(newer)).toBe(eucaimApplicationForm.version + 1);
    // The older one submits with the answers of its own version; the newer one needs the new question.
    expect((await fire(hub, 'researcher', older, 'submit')).status).toBe(200);
    const missing = await fire(hub, 'researcher', newer, 'submit');
    expect(missing.status).toBe(422);
    expect((missing.body as ErrorBody).error.details).toContainEqual({ path: 'contact.orcid', message: 'required' });
  });
});
