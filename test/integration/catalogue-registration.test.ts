import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { datasetToRdf } from '../../functions/fdp/dataset-to-rdf.ts';
import { fdpIris } from '../../functions/fdp/iris.ts';
import { serialize } from '../../functions/fdp/serialize.ts';
import { datasetRepresentatives } from '../../functions/identity/roles.sql.ts';
import { nodeAdmins } from '../../functions/nodes/nodes.sql.ts';
import { databaseKind } from '../support/database.ts';
import { v2DatasetTurtle } from '../support/eucaim-v2-records.ts';
import { legacyMetadata } from '../support/legacy-records.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { type Call, caller, seedHierarchy } from './catalogue-support.ts';

const D = '/api/v1/catalogue/datasets';

describe(`catalogue registration (${databaseKind()})`, () => {
  let hub: TestHub;
  let ids: Awaited<ReturnType<typeof seedHierarchy>>;
  let as: Record<'anonymous' | 'dataholder' | 'admin' | 'researcher' | 'representative', Call>;
  const registration = (over: Record<string, unknown> = {}) => ({
    nodeId: ids.nodeId,
    metadata: sampleMetadata({ seriesId: ids.seriesId }),
    ...over,
  });
  const register = async (over: Record<string, unknown> = {}) => {
    const res = await as.dataholder('POST', D, registration(over));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; version: number; state: string };
  };

  beforeAll(async () => {
    hub = await startTestHub();
    ids = await seedHierarchy(hub);
    as = {
      anonymous: caller(hub),
      dataholder: caller(hub, 'dataholder'),
      admin: caller(hub, 'admin'),
      researcher: caller(hub, 'researcher'),
      representative: caller(hub, 'representative'),
    };
  });
  afterAll(async () => hub?.stop());

  it('registers a draft under the proposed identifier and names its representatives', async () => {
    const id = crypto.randomUUID();
    const created = await register({ id, representatives: ['representative'] });
    expect(created).toMatchObject({ id, state: 'draft', version: 1, nodeId: ids.nodeId, owner: 'dataholder' });
    const reps = await hub.services.db.select().from(datasetRepresentatives).where(eq(datasetRepresentatives.datasetId, id));
    expect(reps.map((r) => r.subject)).toEqual(['representative']);
    const me = await as.representative('GET', '/api/v1/me');
    expect(me.body.representedDatasets).toContain(id);
  });

  it('mints a UUID when none is proposed', async () => {
    expect((await register()).id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lists every problem at once, field by field, with 422', async () => {
    const { title: _t, provenance: _p, ...rest } = sampleMetadata({ seriesId: ids.seriesId });
    const metadata = { ...rest, modalities: ['RID10312', 'XRAY'], contactPoint: { name: 'nobody' }, subjects: -1, tier: 'TIER_9' };
    const res = await as.dataholder('POST', D, { nodeId: ids.nodeId, metadata });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(
      [
        'metadata.contactPoint',
        'metadata.modalities[1]',
        'metadata.provenance',
        'metadata.subjects',
        'metadata.tier',
        'metadata.title',
      ].sort(),
    );
  });

  const mandatory = [
    'title',
    'description',
    'version',
    'tier',
    'healthCategory',
    'type',
    'accessRights',
    'applicableLegislation',
    'publisher',
    'contactPoint',
    'subjects',
    'studies',
    'hasStructuredData',
    'birthSex',
    'condition',
    'collectionMethod',
    'modalities',
    'manufacturers',
    'bodyParts',
    'keywords',
    'provenance',
    'distributions',
    'seriesId',
  ] as const;
  it.each(mandatory)('refuses a dataset without the mandatory %s', async (field) => {
    const metadata: Record<string, unknown> = sampleMetadata({ seriesId: ids.seriesId });
    delete metadata[field];
    const res = await as.dataholder('POST', D, { nodeId: ids.nodeId, metadata });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([`metadata.${field}`]);
  });

  it.each([
    ['a condition outside the vocabulary', { condition: 'SNOMEDCT000' }, 'metadata.condition'],
    [
      'an unknown access condition',
      { distributions: [{ accessUrl: 'https://x.example/a', accessCondition: 'EMAIL' }] },
      'metadata.distributions[0].accessCondition',
    ],
    ['an empty body part list', { bodyParts: [] }, 'metadata.bodyParts'],
    [
      'a non-http access URL',
      { distributions: [{ accessUrl: 'ftp://x.example/a', accessCondition: 'DOWNLOAD' }] },
      'metadata.distributions[0].accessUrl',
    ],
  ])('refuses %s', async (_name, over, path) => {
    const res = await as.dataholder('POST', D, {
      nodeId: ids.nodeId,
      metadata: { ...sampleMetadata({ seriesId: ids.seriesId }), ...over },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('refuses a series or node that does not exist (422 naming the field)', async () => {
    const res = await as.admin('POST', D, { nodeId: 'node-nowhere', metadata: sampleMetadata({ seriesId: 'no-such-series' }) });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['metadata.seriesId', 'nodeId']);
  });

  it('refuses a proposed identifier already taken (409)', async () => {
    const { id } = await register();
    const res = await as.dataholder('POST', D, registration({ id }));
    expect(res.status, JSON.stringify(res.body)).toBe(409);
  });

  it('refuses registration to users who administer no node, and for a node the user does not administer (403)', async () => {
    expect((await as.researcher('POST', D, registration())).status).toBe(403);
    const other = await seedHierarchy(hub);
    await hub.services.db.delete(nodeAdmins).where(eq(nodeAdmins.nodeId, other.nodeId));
    const res = await as.dataholder('POST', D, registration({ nodeId: other.nodeId }));
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect((await as.anonymous('POST', D, registration())).status).toBe(401);
  });

  it('lets a platform admin register without a node', async () => {
    const res = await as.admin('POST', D, { metadata: sampleMetadata({ seriesId: ids.seriesId }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.nodeId).toBeNull();
  });

  it('keeps drafts invisible to everyone but their editors', async () => {
    const { id } = await register();
    expect((await as.anonymous('GET', `${D}/${id}`)).status).toBe(404);
    expect((await as.researcher('GET', `${D}/${id}`)).status).toBe(404);
    expect((await as.dataholder('GET', `${D}/${id}`)).body).toMatchObject({ id, state: 'draft', canEdit: true });
    expect((await as.admin('GET', `${D}/${id}`)).body.state).toBe('draft');
    const list = await as.anonymous('GET', `${D}?limit=100&series=${ids.seriesId}`);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await as.researcher('PATCH', `${D}/${id}`, { metadata: { title: 'x' } })).status).toBe(404);
  });

  it('refuses a change of identifier (409) and a change by a non-editor (403)', async () => {
    const { id } = await register();
    await as.dataholder('POST', `${D}/${id}/publish`);
    const renamed = await as.dataholder('PATCH', `${D}/${id}`, { id: crypto.randomUUID(), metadata: { title: 'Renamed' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(409);
    expect((await as.dataholder('PATCH', `${D}/${id}`, { id, metadata: { title: 'Same id is fine' } })).status).toBe(200);
    const stranger = await as.researcher('PATCH', `${D}/${id}`, { metadata: { title: 'Hijacked' } });
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(403);
    expect((await as.anonymous('GET', `${D}/${id}`)).body.metadata.title).toBe('Same id is fine');
  });

  it('validates a change against the whole profile, listing every problem', async () => {
    const { id } = await register();
    const res = await as.dataholder('PATCH', `${D}/${id}`, { metadata: { modalities: ['NOPE'], subjects: 1.5 } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['metadata.modalities[0]', 'metadata.subjects']);
  });

  it('lists what a user may edit, drafts included, and nothing of others', async () => {
    const { id } = await register();
    expect((await as.dataholder('GET', '/api/v1/catalogue/my-datasets')).body.datasets.map((d: { id: string }) => d.id)).toContain(id);
    expect((await as.admin('GET', '/api/v1/catalogue/my-datasets')).body.datasets.map((d: { id: string }) => d.id)).toContain(id);
    expect((await as.researcher('GET', '/api/v1/catalogue/my-datasets')).body.datasets).toEqual([]);
  });

  it('keeps every previous version', async () => {
    const { id } = await register();
    await as.dataholder('PATCH', `${D}/${id}`, { metadata: { title: 'Second title' } });
    await as.dataholder('PATCH', `${D}/${id}`, { metadata: { title: 'Third title', subjects: 7 } });
    const versions = await as.dataholder('GET', `${D}/${id}/versions`);
    expect(versions.body.versions.map((v: { version: number; metadata: { title: string } }) => [v.version, v.metadata.title])).toEqual([
      [3, 'Third title'],
      [2, 'Second title'],
      [1, sampleMetadata().title],
    ]);
    expect((await as.researcher('GET', `${D}/${id}/versions`)).status).toBe(404);
  });

  it('publishes and withdraws as explicit actions, leaving a tombstone', async () => {
    const { id } = await register();
    const published = await as.dataholder('POST', `${D}/${id}/publish`);
    expect(published.body).toMatchObject({ state: 'published', version: 2 });
    expect(published.body.publishedAt).not.toBeNull();
    expect((await as.anonymous('GET', `${D}/${id}`)).body.metadata.title).toBe(sampleMetadata().title);
    expect((await as.dataholder('POST', `${D}/${id}/publish`)).status).toBe(409);
    const noReason = await as.dataholder('POST', `${D}/${id}/withdraw`, {});
    expect(noReason.status, JSON.stringify(noReason.body)).toBe(422);
    expect(noReason.body.error.details[0].path).toBe('reason');
    expect((await as.researcher('POST', `${D}/${id}/withdraw`, { reason: 'not mine' })).status).toBe(403);
    const withdrawn = await as.dataholder('POST', `${D}/${id}/withdraw`, { reason: 'consent revoked' });
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', withdrawnReason: 'consent revoked' });
    const tombstone = await as.anonymous('GET', `${D}/${id}`);
    expect(tombstone.body).toMatchObject({
      id,
      state: 'withdrawn',
      title: sampleMetadata().title,
      withdrawnReason: 'consent revoked',
      metadata: null,
    });
    expect((await as.dataholder('PATCH', `${D}/${id}`, { metadata: { title: 'Back' } })).status).toBe(409);
  });

  it('records CREATE_DATASET and UPDATE_DATASET traces for every change', async () => {
    const { id } = await register();
    await as.dataholder('PATCH', `${D}/${id}`, { metadata: { title: 'Traced' } });
    await as.dataholder('POST', `${D}/${id}/publish`);
    await as.dataholder('POST', `${D}/${id}/withdraw`, { reason: 'superseded' });
    const res = await as.admin('GET', `/tracer/api/v1/traces?datasetId=${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const seen = res.body.traces.map((t: { userAction: string; userId: string; payload: { details?: string } }) => [
      t.userAction,
      t.payload.details ?? null,
      t.userId,
    ]);
    expect(seen).toEqual([
      ['CREATE_DATASET', null, 'dataholder'],
      ['UPDATE_DATASET', 'METADATA_UPDATED', 'dataholder'],
      ['UPDATE_DATASET', 'PUBLISH', 'dataholder'],
      ['UPDATE_DATASET', 'WITHDRAW', 'dataholder'],
    ]);
  });

  it('registers from Turtle like from JSON, and refuses Turtle that does not parse with line and column', async () => {
    const id = crypto.randomUUID();
    const turtle = (
      await serialize(datasetToRdf(sampleMetadata({ title: 'From Turtle', seriesId: ids.seriesId }), id, fdpIris(hub.url)).quads, 'ttl')
    ).body;
    const created = await as.dataholder('POST', `${D}?nodeId=${ids.nodeId}&representative=representative`, turtle, {
      'content-type': 'text/turtle',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id, state: 'draft', nodeId: ids.nodeId });
    expect(created.body.metadata.title).toBe('From Turtle');
    // The same document with another dct:identifier is an attempt to change the identifier.
    const other = turtle.replaceAll(id, crypto.randomUUID());
    expect((await as.dataholder('PATCH', `${D}/${id}`, other, { 'content-type': 'text/turtle' })).status).toBe(409);
    const broken = await as.dataholder('POST', D, '<a> <b> <c> .\n<a> <b> "x"', { 'content-type': 'text/turtle' });
    expect(broken.status, JSON.stringify(broken.body)).toBe(400);
    expect(broken.body.error.details).toEqual({ line: 2, column: 12 });
    const incomplete = await as.dataholder(
      'POST',
      `${D}?nodeId=${ids.nodeId}`,
      '@prefix dcat: <http://www.w3.org/ns/dcat#> . <#d> a dcat:Dataset .',
      { 'content-type': 'text/turtle' },
    );
    expect(incomplete.status, JSON.stringify(incomplete.body)).toBe(422);
    expect(incomplete.body.error.details.map((d: { path: string }) => d.path)).toContain('metadata.title');
    expect((await as.dataholder('POST', D, 'title=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
  });

  it('registers a record a node wrote by hand to EUCAIM DCAT-AP v2.0, under the UUID of its catalogue URI', async () => {
    const uuid = crypto.randomUUID();
    const turtle = v2DatasetTurtle(
      {
        uuid,
        title: 'Node-written record',
        modified: '2026-08-01',
        iri: 'https://node.example/fdp/dataset/x',
        seriesIri: `https://hub.example/fdp/series/${ids.seriesId}`,
      },
      'https://node.example/fdp/distribution/x/1',
    );
    const created = await as.dataholder('POST', `${D}?nodeId=${ids.nodeId}`, turtle, { 'content-type': 'text/turtle' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      id: uuid,
      metadata: { title: 'Node-written record', condition: 'CLIN1000075', hasStructuredData: true },
    });
  });

  it('reads a registration in the pre-v2.0 codes for one release, storing the EUCAIM DCAT-AP v2.0 ones', async () => {
    const created = await as.dataholder('POST', D, { nodeId: ids.nodeId, metadata: legacyMetadata({ seriesId: ids.seriesId }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.metadata).toMatchObject({
      tier: 'SPEC1000009',
      condition: 'CLIN1000075',
      modalities: ['IMG1000038', 'IMG1000042'],
    });
  });

  it("asks for the variables of structured data (the profile's conditional field) with 422", async () => {
    const res = await as.dataholder(
      'POST',
      D,
      registration({ metadata: sampleMetadata({ seriesId: ids.seriesId, hasStructuredData: true }) }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['metadata.variables']);
  });
});
