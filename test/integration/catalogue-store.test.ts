import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetMetadataSchema } from '../../shared/catalogue/profile.ts';
import { catalogueDatasetVersions } from '../../functions/catalogue/catalogue.sql.ts';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { type CatalogueStore, createCatalogueStore } from '../../functions/catalogue/store.ts';
import { eq } from 'drizzle-orm';
import { databaseKind, freshDatabase } from '../support/database.ts';

describe(`catalogue store: the contract the FDP, PID resolver and harvester use (${databaseKind()})`, () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let store: CatalogueStore;
  const source = `fdp-${crypto.randomUUID().slice(0, 8)}`;
  const series = {
    id: `series-${crypto.randomUUID().slice(0, 8)}`,
    title: 'Harvested biobank',
    description: 'From a node FDP',
    publisher: { name: 'Node A' },
    networkId: 'net-harvest',
  };
  const harvested = (id: string, modified: string, title = 'Harvested') => ({
    id,
    modified,
    series,
    metadata: sampleMetadata({ title, seriesId: series.id }),
  });

  beforeAll(async () => {
    database = await freshDatabase();
    store = createCatalogueStore(database.handle.db);
  });
  afterAll(async () => database?.drop());

  it('the sample metadata passes the profile', () => {
    expect(datasetMetadataSchema.safeParse(sampleMetadata()).success).toBe(true);
  });

  it('creates a harvested dataset published, with its series and network, and reads it back', async () => {
    const id = crypto.randomUUID();
    expect((await store.upsertHarvested(source, harvested(id, '2026-01-01T00:00:00Z'))).outcome).toBe('created');
    const rec = await store.dataset(id);
    expect(rec).toMatchObject({ id, state: 'published', sourceId: source, owner: `harvest:${source}`, version: 1 });
    expect(rec?.metadata.title).toBe('Harvested');
    expect((await store.series()).map((s) => s.id)).toContain(series.id);
    expect((await store.networks()).map((n) => n.id)).toContain('net-harvest');
    expect(await store.lastModified()).toBe(rec?.modifiedAt);
  });

  it('skips an unchanged record and keeps the previous version when it changes', async () => {
    const id = crypto.randomUUID();
    await store.upsertHarvested(source, harvested(id, 'v1', 'First'));
    expect((await store.upsertHarvested(source, harvested(id, 'v1', 'First'))).outcome).toBe('unchanged');
    expect((await store.upsertHarvested(source, harvested(id, 'v2', 'Second'))).outcome).toBe('updated');
    const versions = await database.handle.db.select().from(catalogueDatasetVersions).where(eq(catalogueDatasetVersions.datasetId, id));
    expect(versions.map((v) => [v.version, v.metadata.title]).sort()).toEqual([
      [1, 'First'],
      [2, 'Second'],
    ]);
    expect((await store.dataset(id))?.version).toBe(2);
  });

  it('refuses to overwrite a dataset that belongs to another source', async () => {
    const id = crypto.randomUUID();
    await store.upsertHarvested(source, harvested(id, 'v1'));
    expect((await store.upsertHarvested('another-source', harvested(id, 'v9', 'Hijack'))).outcome).toBe('conflict');
    expect((await store.dataset(id))?.metadata.title).toBe('Harvested');
  });

  it('withdraws what the source no longer lists, with the reason, and lists only published datasets', async () => {
    const src = `fdp-${crypto.randomUUID().slice(0, 8)}`;
    const [keep, gone] = [crypto.randomUUID(), crypto.randomUUID()];
    await store.upsertHarvested(src, harvested(keep, 'v1'));
    await store.upsertHarvested(src, harvested(gone, 'v1'));
    expect(await store.withdrawMissing(src, [keep], 'gone from the source')).toEqual([gone]);
    expect(await store.dataset(gone)).toMatchObject({ state: 'withdrawn', withdrawnReason: 'gone from the source', version: 2 });
    expect((await store.dataset(gone))?.withdrawnAt).not.toBeNull();
    const all = await store.publishedDatasets({ offset: 0, limit: 1000 });
    expect(all.items.map((d) => d.id)).toContain(keep);
    expect(all.items.map((d) => d.id)).not.toContain(gone);
    expect(all.items.every((d) => d.state === 'published')).toBe(true);
    expect(all.total).toBe(all.items.length);
    // A dataset the source lists again comes back published.
    expect((await store.upsertHarvested(src, harvested(gone, 'v1'))).outcome).toBe('updated');
    expect((await store.dataset(gone))?.state).toBe('published');
  });

  it('keeps the source IRI, identifier and dates, and finds a dataset without a UUID again by its IRI', async () => {
    const src = { id: `fdp-${crypto.randomUUID().slice(0, 8)}`, trusted: true, nodeId: null };
    const record = (modified: string, title: string) => ({
      sourceIri: 'https://node.example/fdp/dataset/prostate-mr',
      sourceIdentifier: 'ds-001',
      issued: '2024-05-01T10:00:00Z',
      modified,
      series,
      metadata: sampleMetadata({ title, seriesId: series.id }),
    });
    const first = await store.upsertHarvested(src, record('v1', 'No UUID'));
    expect(first.outcome).toBe('created');
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await store.upsertHarvested(src, record('v2', 'Still no UUID'));
    expect(again).toEqual({ outcome: 'updated', id: first.id });
    expect((await store.dataset(first.id))?.source).toEqual({
      iri: 'https://node.example/fdp/dataset/prostate-mr',
      identifier: 'ds-001',
      issued: '2024-05-01T10:00:00Z',
      modified: 'v2',
    });
    // Listed by IRI: kept; unlisted: withdrawn.
    expect(await store.withdrawMissing(src.id, { ids: [], iris: ['https://node.example/fdp/dataset/prostate-mr'] }, 'gone')).toEqual([]);
    expect(await store.withdrawMissing(src.id, { ids: [], iris: ['https://node.example/fdp/dataset/other'] }, 'gone')).toEqual([first.id]);
  });

  it('makes a new dataset from an untrusted source a draft of its node, and keeps a later change in the state its admins chose', async () => {
    const src = { id: `fdp-${crypto.randomUUID().slice(0, 8)}`, trusted: false, nodeId: 'node-z' };
    const id = crypto.randomUUID();
    await store.upsertHarvested(src, harvested(id, 'v1', 'Untrusted'));
    expect(await store.dataset(id)).toMatchObject({ state: 'draft', nodeId: 'node-z', publishedAt: null });
    expect((await store.publishedDatasets({ offset: 0, limit: 1000 })).items.map((d) => d.id)).not.toContain(id);
    await store.upsertHarvested(src, harvested(id, 'v2', 'Untrusted, changed'));
    expect(await store.dataset(id)).toMatchObject({ state: 'draft', version: 2 });
  });

  it('creates the series a source describes and keeps it as the source describes it, never one an admin made', async () => {
    const src = `fdp-${crypto.randomUUID().slice(0, 8)}`;
    const own = { ...series, id: `series-${crypto.randomUUID().slice(0, 8)}`, title: 'First title', networkId: 'net-own' };
    await store.upsertHarvested(src, {
      ...harvested(crypto.randomUUID(), 'v1'),
      series: own,
      metadata: sampleMetadata({ seriesId: own.id }),
    });
    await store.upsertHarvested(src, {
      ...harvested(crypto.randomUUID(), 'v1'),
      series: { ...own, title: 'Renamed at the source', description: 'Described better' },
      metadata: sampleMetadata({ seriesId: own.id }),
    });
    expect((await store.series()).find((x) => x.id === own.id)).toMatchObject({
      title: 'Renamed at the source',
      description: 'Described better',
    });
    // The first test's series belongs to `source`: another source's description leaves it alone.
    await store.upsertHarvested(src, { ...harvested(crypto.randomUUID(), 'v1'), series: { ...series, title: 'Hijacked' } });
    expect((await store.series()).find((x) => x.id === series.id)?.title).toBe('Harvested biobank');
  });

  it('pages published datasets in id order', async () => {
    const page1 = await store.publishedDatasets({ offset: 0, limit: 2 });
    const page2 = await store.publishedDatasets({ offset: 2, limit: 2 });
    const ids = [...page1.items, ...page2.items].map((d) => d.id);
    expect(ids).toEqual([...ids].sort());
    expect(page1.total).toBeGreaterThanOrEqual(4);
  });

  it('answers null for an identifier that is not a UUID or was never issued', async () => {
    expect(await store.dataset('not-a-uuid')).toBeNull();
    expect(await store.dataset(crypto.randomUUID())).toBeNull();
  });
});
