// Harvesting a FAIR Data Point laid out as the reference FDP serves it to a harvester that does not
// follow LDP containers (test/support/fdp-source-server.ts, layout `reference`), whose dataset
// records a node wrote by hand to EUCAIM DCAT-AP v2.0 (test/support/eucaim-v2-records.ts).
import { Parser, Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullMetadata } from '../../functions/fdp/fixtures.ts';
import { type FdpSource, startFdpSource } from '../support/fdp-source-server.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { type Call, caller, seedHierarchy, shortId } from './catalogue-support.ts';

let hub: TestHub;
let trusted: FdpSource;
let untrusted: FdpSource;
let asAdmin: Call;
let ids: Awaited<ReturnType<typeof seedHierarchy>>;
const series = {
  id: `node-biobank-${shortId()}`,
  title: 'ProCAncer-I prostate collection',
  description: 'The prostate MR collection of the node, as its FDP describes it.',
  publisher: { name: 'FORTH' },
  networkId: `node-net-${shortId()}`,
};
const network = { id: series.networkId, title: 'AI4HI network', description: 'Networks of the AI4HI projects' };
const sources = { trusted: `ref-${shortId()}`, untrusted: `ref-${shortId()}` };

const add = (source: FdpSource, title: string, extra: { slug?: string } = {}) => {
  const id = crypto.randomUUID();
  source.datasets.set(id, { id, metadata: fullMetadata({ title, seriesId: series.id }), modified: '2026-08-01', style: 'v2', ...extra });
  return id;
};
const run = async (id: string) => {
  const res = await asAdmin('POST', `/api/v1/catalogue/harvest-sources/${id}/run`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  [trusted, untrusted] = await Promise.all([startFdpSource({ series, network }), startFdpSource({ series, network })]);
  trusted.setLayout('reference');
  untrusted.setLayout('reference');
  hub = await startTestHub();
  ids = await seedHierarchy(hub);
  asAdmin = caller(hub, 'admin');
  for (const [id, source, body] of [
    [sources.trusted, trusted, { trusted: true }],
    [sources.untrusted, untrusted, { nodeId: ids.nodeId }],
  ] as const) {
    const res = await asAdmin('POST', '/api/v1/catalogue/harvest-sources', { id, url: source.url, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(async () => {
  await hub?.stop();
  await Promise.all([trusted?.close(), untrusted?.close()]);
});

describe('a reference-style FAIR Data Point without containers, with records written to EUCAIM DCAT-AP v2.0', () => {
  let first: string;
  let second: string;

  it('harvests every record, following fdp:metadataCatalog, dcat:dataset and dcat:distribution', async () => {
    first = add(trusted, 'Open Challenge Prostate Cancer V1');
    second = add(trusted, 'Open Challenge Prostate Cancer V2');
    const result = await run(sources.trusted);
    expect(result.status, JSON.stringify(result)).toBe('succeeded');
    expect(result.report).toMatchObject({ datasets: 2, created: 2, rejected: [], failures: [], navigation: { containers: 0 } });
    expect(trusted.requests.some((u) => u.startsWith('/fdp/distribution/'))).toBe(true);
  });

  it('keeps the UUID of the catalogue URI as the identifier, and shows each dataset as the node described it', async () => {
    const page = await caller(hub)('GET', `/api/v1/catalogue/datasets/${first}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body).toMatchObject({
      id: first,
      state: 'published',
      series: { id: series.id, title: 'ProCAncer-I prostate collection' },
      network: { id: network.id, title: 'AI4HI network' },
      source: {
        iri: trusted.datasetIri(first),
        identifier: `https://catalogue.eucaim.cancerimage.eu/#/collection/${first}`,
        issued: '2025-01-01T00:00:00.000Z',
        modified: '2026-08-01T00:00:00.000Z',
      },
    });
    expect(page.body.metadata).toMatchObject({
      tier: 'SPEC1000009',
      type: ['SPEC1000019', 'PseudonymisedData'],
      condition: 'CLIN1000075',
      manufacturers: ['IMG1000047', 'IMG1000044'],
      publisher: { name: 'FORTH', email: 'access-committee@procancer-i.example', url: 'https://forth.example/contact' },
      hdab: { name: 'Hellenic Health Data Access Body', url: 'https://hdab.example.gr/' },
      spatialResolution: 0.0005,
      temporalResolution: 'P1M',
      segmentation: { labels: ['BP1000021', 'IMG1016402'], algorithmTypes: ['COM1000003'], count: 789 },
      distributions: [{ accessCondition: 'IN_SITU_PROCESSING', applicableLegislation: ['EHDS'], checksum: { algorithm: 'sha256' } }],
    });
    const listed = await caller(hub)('GET', `/api/v1/catalogue/datasets?series=${series.id}&condition=CLIN1000075`);
    expect(listed.body.items.map((i: { id: string }) => i.id).sort()).toEqual([first, second].sort());
  });

  it("links the hub's record back to the source record and keeps the source's dates", async () => {
    const res = await fetch(`${hub.url}/fdp/dataset/${first}`, { headers: { accept: 'text/turtle' } });
    const store = new Store(new Parser({ baseIRI: res.url }).parse(await res.text()));
    const self = `${hub.url}/fdp/dataset/${first}`;
    expect(store.getObjects(self, 'http://www.w3.org/ns/prov#wasDerivedFrom', null).map((o) => o.value)).toEqual([
      trusted.datasetIri(first),
    ]);
    expect(store.getObjects(self, 'http://purl.org/dc/terms/issued', null).map((o) => o.value)).toEqual(['2025-01-01T00:00:00.000Z']);
    expect(store.getObjects(self, 'http://purl.org/dc/terms/modified', null).map((o) => o.value)).toEqual(['2026-08-01T00:00:00.000Z']);
    const notations = store.getObjects(null, 'http://www.w3.org/2004/02/skos/core#notation', null).map((o) => o.value);
    expect(notations).toContain(`https://catalogue.eucaim.cancerimage.eu/#/collection/${first}`);
  });

  it('mints a UUID for a record that gives none, and finds it again on the next run', async () => {
    const slugged = add(trusted, 'Record without a UUID', { slug: 'prostate-mr-2024' });
    const result = await run(sources.trusted);
    expect(result.report).toMatchObject({ created: 1, unchanged: 2 });
    const mine = await asAdmin('GET', '/api/v1/catalogue/my-datasets');
    const minted = mine.body.datasets.find((d: { title: string }) => d.title === 'Record without a UUID');
    expect(minted.id).not.toBe(slugged);
    const again = await run(sources.trusted);
    expect(again.report).toMatchObject({ created: 0, unchanged: 3, withdrawn: [] });
    const view = await caller(hub)('GET', `/api/v1/catalogue/datasets/${minted.id}`);
    expect(view.body.source).toMatchObject({ iri: `${trusted.origin}/fdp/dataset/prostate-mr-2024`, identifier: 'ds-prostate-mr-2024' });
  });

  it('withdraws a dataset only once its source positively no longer lists it', async () => {
    trusted.datasets.delete(second);
    const result = await run(sources.trusted);
    expect(result.report.withdrawn).toEqual([second]);
    expect((await caller(hub)('GET', `/api/v1/catalogue/datasets/${second}`)).body.state).toBe('withdrawn');
  });
});

describe('a source that is not trusted', () => {
  it("brings new datasets in as drafts its node's admins review and publish", async () => {
    const id = add(untrusted, 'Awaiting review');
    const result = await run(sources.untrusted);
    expect(result.report).toMatchObject({ created: 1 });
    expect((await caller(hub)('GET', `/api/v1/catalogue/datasets/${id}`)).status).toBe(404);
    expect((await fetch(`${hub.url}/fdp/dataset/${id}`)).status).toBe(404);
    const holder = caller(hub, 'dataholder');
    const mine = await holder('GET', '/api/v1/catalogue/my-datasets');
    expect(mine.body.datasets).toContainEqual(expect.objectContaining({ id, state: 'draft', nodeId: ids.nodeId }));
    // Its content is the source's: no edits here, only publishing.
    expect((await holder('PATCH', `/api/v1/catalogue/datasets/${id}`, { metadata: { title: 'Edited' } })).status).toBe(409);
    expect((await holder('POST', `/api/v1/catalogue/datasets/${id}/publish`)).status).toBe(200);
    expect((await caller(hub)('GET', `/api/v1/catalogue/datasets/${id}`)).body.state).toBe('published');
    // A later change at the source keeps it published.
    const d = untrusted.datasets.get(id)!;
    untrusted.datasets.set(id, { ...d, modified: '2026-09-01', metadata: { ...d.metadata, title: 'Reviewed, then changed' } });
    expect((await run(sources.untrusted)).report).toMatchObject({ updated: 1 });
    expect((await caller(hub)('GET', `/api/v1/catalogue/datasets/${id}`)).body).toMatchObject({
      state: 'published',
      title: 'Reviewed, then changed',
    });
  });
});
