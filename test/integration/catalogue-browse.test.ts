import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseDatasets, facetOfCode } from '../../functions/catalogue/browse.ts';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { browseQuerySchema } from '../../shared/catalogue/registration.ts';
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import { ACCESS_CONDITIONS, BODY_PARTS, CONDITIONS, MANUFACTURERS, MODALITIES, TIERS } from '../../shared/catalogue/vocabularies.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { type Call, caller, seedHierarchy } from './catalogue-support.ts';

const D = '/api/v1/catalogue/datasets';
// EUCAIM DCAT-AP v2.0 codes (hyper-ontology); the test of old codes still selecting them is below.
const [MR, CT, PET] = ['IMG1000038', 'IMG1000042', 'IMG1000062'];
const [PROSTATE, LUNG, BREAST] = ['BP1000021', 'BP1000113', 'BP1000136'];
const [LUNG_CANCER, BREAST_CANCER] = ['CLIN1000065', 'CLIN1000060'];

/** Five published datasets with known values, one draft and one withdrawn one in the same series. */
const fixtures: Partial<DatasetMetadata>[] = [
  { title: 'Alpha prostate MR', modalities: [MR], bodyParts: [PROSTATE], subjects: 50, studies: 100, keywords: ['prostate'] },
  {
    title: 'Bravo lung CT screening',
    modalities: [CT],
    bodyParts: [LUNG],
    condition: LUNG_CANCER,
    subjects: 300,
    studies: 310,
    keywords: ['screening', 'nodules'],
  },
  {
    title: 'Charlie breast MR and PET',
    modalities: [MR, PET],
    bodyParts: [BREAST],
    condition: BREAST_CANCER,
    subjects: 20,
    studies: 90,
    keywords: ['breast'],
    tier: 'SPEC1000011',
  },
  {
    title: 'Delta lung PET-CT',
    modalities: [CT, PET],
    bodyParts: [LUNG],
    condition: LUNG_CANCER,
    subjects: 75,
    studies: 75,
    keywords: ['radiomics'],
    publisher: { name: 'Other clinic', url: 'https://other.example/contact' },
  },
  {
    title: 'Echo prostate CT',
    modalities: [CT],
    bodyParts: [PROSTATE],
    subjects: 10,
    studies: 12,
    keywords: ['radiotherapy planning'],
    distributions: [{ accessUrl: 'https://x.example/r', accessCondition: 'DOWNLOAD', applicableLegislation: ['EHDS'] }],
  },
];

describe(`catalogue browsing and dashboard (${databaseKind()})`, () => {
  let hub: TestHub;
  let anon: Call;
  let holder: Call;
  let series: string;
  const query = async (qs: string) => {
    const res = await anon('GET', `${D}?series=${series}&${qs}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as {
      items: { id: string; title: string; subjects: number }[];
      total: number;
      totalCapped: boolean;
      facets: Record<string, { value: string; label: string; count: number }[]> | null;
    };
  };
  const titles = async (qs: string) => (await query(qs)).items.map((i) => i.title.split(' ')[0]);
  const register = async (over: Partial<DatasetMetadata>, publish = true) => {
    const res = await holder('POST', D, { nodeId: ids.nodeId, metadata: sampleMetadata({ ...over, seriesId: series }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    if (publish) expect((await holder('POST', `${D}/${res.body.id}/publish`)).status).toBe(200);
    return res.body.id as string;
  };
  let ids: Awaited<ReturnType<typeof seedHierarchy>>;

  beforeAll(async () => {
    hub = await startTestHub();
    ids = await seedHierarchy(hub);
    series = ids.seriesId;
    anon = caller(hub);
    holder = caller(hub, 'dataholder');
    for (const f of fixtures) await register(f);
    await register({ title: 'Foxtrot draft lung' }, false);
    const gone = await register({ title: 'Golf withdrawn lung' });
    await holder('POST', `${D}/${gone}/withdraw`, { reason: 'test' });
  });
  afterAll(async () => hub?.stop());

  it('lists published datasets only, sorted by title by default', async () => {
    expect(await titles('')).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  });

  it.each([
    ['subjects', ['Echo', 'Charlie', 'Alpha', 'Delta', 'Bravo']],
    ['-subjects', ['Bravo', 'Delta', 'Alpha', 'Charlie', 'Echo']],
    ['-studies', ['Bravo', 'Alpha', 'Charlie', 'Delta', 'Echo']],
    ['-title', ['Echo', 'Delta', 'Charlie', 'Bravo', 'Alpha']],
  ])('sorts by %s', async (sort, expected) => {
    expect(await titles(`sort=${sort}`)).toEqual(expected);
  });

  it('pages with a total', async () => {
    const page = await query('limit=2&offset=2');
    expect(page.items.map((i) => i.title.split(' ')[0])).toEqual(['Charlie', 'Delta']);
    expect(page.total).toBe(5);
  });

  it.each([
    ['one modality', `modality=${PET}`, ['Charlie', 'Delta']],
    ['alternatives within a filter', `modality=${PET}&modality=${MR}`, ['Alpha', 'Charlie', 'Delta']],
    ['two filters together', `modality=${CT}&bodyPart=${LUNG}`, ['Bravo', 'Delta']],
    ['condition and publisher', `condition=${LUNG_CANCER}&publisher=${encodeURIComponent('Other clinic')}`, ['Delta']],
    ['access condition', 'accessCondition=DOWNLOAD', ['Echo']],
    ['tier', 'tier=SPEC1000011', ['Charlie']],
    ['pre-v2.0 codes (read for one release)', 'modality=RID10337&tier=TIER_2', ['Charlie']],
    ['full text on keywords', 'q=radiomics', ['Delta']],
    ['full text on title words, stemmed', 'q=screenings', ['Bravo']],
    ['full text with a filter', `q=lung&modality=${PET}`, ['Delta']],
  ])('filters by %s', async (_name, qs, expected) => {
    expect((await titles(qs)).sort()).toEqual(expected);
  });

  it('counts each filter value over the matching datasets', async () => {
    const { facets } = await query(`facets=true&bodyPart=${LUNG}`);
    const counts = (k: string) => Object.fromEntries((facets?.[k] ?? []).map((f) => [f.value, f.count]));
    expect(counts('modality')).toEqual({ [CT]: 2, [PET]: 1 });
    expect(counts('bodyPart')).toEqual({ [LUNG]: 2 });
    expect(counts('publisher')).toEqual({ 'Demo University Hospital': 1, 'Other clinic': 1 });
    expect(counts('series')).toEqual({ [series]: 2 });
    expect(facets?.modality?.find((f) => f.value === CT)?.label).toBe('Computed tomography');
    expect(facets?.series?.[0]?.label).toBe(`Biobank ${series}`);
  });

  it('reads a facet from its code alone: the codes of the browse vocabularies are distinct', () => {
    const codes = [CONDITIONS, TIERS, MODALITIES, BODY_PARTS, MANUFACTURERS, ACCESS_CONDITIONS].flatMap((v) => v.map((t) => t.code));
    expect(facetOfCode.size).toBe(codes.length);
    expect(codes.some((c) => c === '' || c.startsWith('p:') || c.startsWith('s:'))).toBe(false);
  });

  it('says "more than" past the count cap, and counts exactly when facets are asked for', async () => {
    const capped = await browseDatasets(hub.services.db, browseQuerySchema.parse({ series }), 3);
    expect([capped.total, capped.totalCapped, capped.items.length]).toEqual([3, true, 5]);
    const exact = await browseDatasets(hub.services.db, browseQuerySchema.parse({ series, facets: 'true' }), 3);
    expect([exact.total, exact.totalCapped]).toEqual([5, false]);
    expect((await query('')).totalCapped).toBe(false);
  });

  it('answers facets only when asked', async () => {
    expect((await query('')).facets).toBeNull();
  });

  it('refuses values outside the vocabularies with 400 naming the parameter', async () => {
    const res = await anon('GET', `${D}?modality=XRAY&sort=size`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['modality', 'sort']);
  });

  it('shows the hierarchy with published counts', async () => {
    const net = await anon('GET', `/api/v1/catalogue/networks/${ids.networkId}`);
    expect(net.status, JSON.stringify(net.body)).toBe(200);
    expect(net.body.series).toEqual([expect.objectContaining({ id: series, datasets: 5 })]);
    const s = await anon('GET', `/api/v1/catalogue/series/${series}`);
    expect(s.body).toMatchObject({ id: series, datasets: 5, network: { id: ids.networkId } });
    expect((await anon('GET', '/api/v1/catalogue/series/nope')).status).toBe(404);
  });

  it('lets only platform admins create networks and series', async () => {
    const network = { id: `net-${crypto.randomUUID().slice(0, 8)}`, title: 'N', description: 'D' };
    expect((await holder('POST', '/api/v1/catalogue/networks', network)).status).toBe(403);
    const admin = caller(hub, 'admin');
    expect((await admin('POST', '/api/v1/catalogue/networks', network)).status).toBe(201);
    expect((await admin('POST', '/api/v1/catalogue/networks', network)).status).toBe(409);
    const bad = await admin('POST', '/api/v1/catalogue/series', {
      id: 'x-series',
      title: 'S',
      description: 'D',
      publisher: { name: 'P' },
      networkId: 'no-such-net',
    });
    expect(bad.status).toBe(422);
    const ok = await admin('POST', '/api/v1/catalogue/series', {
      id: `s-${network.id}`,
      title: 'S',
      description: 'D',
      publisher: { name: 'P' },
      networkId: network.id,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('dashboard figures follow the catalogue as it changes', async () => {
    const before = (await anon('GET', '/api/v1/catalogue/dashboard')).body;
    expect(before.datasets).toBe(5);
    expect(before.subjects).toBe(50 + 300 + 20 + 75 + 10);
    const perModality = Object.fromEntries(before.studiesPerModality.map((m: { code: string; count: number }) => [m.code, m.count]));
    expect(perModality).toEqual({ [MR]: 190, [CT]: 310 + 75 + 12, [PET]: 165 });
    const perBodyPart = Object.fromEntries(before.datasetsPerBodyPart.map((m: { code: string; count: number }) => [m.code, m.count]));
    expect(perBodyPart).toEqual({ [PROSTATE]: 2, [LUNG]: 2, [BREAST]: 1 });
    expect(before.perDataset[0]).toMatchObject({ title: 'Bravo lung CT screening', subjects: 300, studies: 310 });

    const id = await register({ title: 'Hotel breast', modalities: [MR], bodyParts: [BREAST], subjects: 1000, studies: 5 });
    const after = (await anon('GET', '/api/v1/catalogue/dashboard')).body;
    expect([after.datasets, after.subjects]).toEqual([6, before.subjects + 1000]);
    expect(after.perDataset[0]).toMatchObject({ id, subjects: 1000 });
    await holder('POST', `${D}/${id}/withdraw`, { reason: 'test' });
    expect((await anon('GET', '/api/v1/catalogue/dashboard')).body.datasets).toBe(5);
  });
});
