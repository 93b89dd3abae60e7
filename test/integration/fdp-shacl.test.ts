import { type Quad, Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIXES } from '../../functions/fdp/namespaces.ts';
import { DEFAULT_MEDIA_TYPE } from '../../shared/catalogue/profile.ts';
import { shapeQuads } from '../../functions/fdp/profiles.ts';
import { SHAPE_NAMES, validateFdp } from '../../functions/fdp/shacl.ts';
import { type ShapeSet, SHAPE_SETS, conformanceMissing, shapeSetQuads } from '../support/conformance.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { getRdf, seedDatasets } from './fdp-support.ts';

let hub: TestHub;
let output: Quad[];
let datasetIri: string;
let seed: Awaited<ReturnType<typeof seedDatasets>>;

beforeAll(async () => {
  hub = await startTestHub();
  seed = await seedDatasets(hub);
  const d = await seed.make('Validated dataset', 'published');
  datasetIri = `${hub.url}/fdp/dataset/${d.id}`;
  // Every layer of the FDP, as a harvester reads them.
  const layers = await Promise.all(
    [
      `${hub.url}/fdp`,
      `${hub.url}/fdp/catalog/eucaim`,
      datasetIri,
      `${hub.url}/fdp/distribution/${d.id}/1`,
      `${hub.url}/fdp/distribution/${d.id}/2`,
    ].map((u) => getRdf(u)),
  );
  for (const l of layers) expect(l.res.status, l.text).toBe(200);
  output = layers.flatMap((l) => l.quads());
});
afterAll(async () => hub?.stop());

const without = (subject: string | undefined, predicate: string) =>
  output.filter((q) => !((subject === undefined || q.subject.value === subject) && q.predicate.value === predicate));

describe('the FDP output against the shapes it serves (the reference FDP shapes and the EUCAIM dataset shape)', () => {
  it('loads every shape document', () => {
    expect([...SHAPE_NAMES].sort()).toEqual(['catalog', 'dataset', 'distribution', 'eucaim-dataset', 'repository', 'resource']);
  });

  it('conforms on every layer', async () => {
    const report = await validateFdp(output);
    expect(report.problems).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it.each([
    { what: "the dataset's publisher", subject: () => datasetIri, predicate: `${PREFIXES.dct}publisher` },
    { what: "the dataset's theme", subject: () => datasetIri, predicate: `${PREFIXES.dcat}theme` },
    { what: "the dataset's condition (EUCAIM profile)", subject: () => datasetIri, predicate: `${PREFIXES.eucaim}hasCondition` },
    {
      what: "the dataset's subject count (EUCAIM profile)",
      subject: () => datasetIri,
      predicate: `${PREFIXES.healthdcatap}numberOfUniqueIndividuals`,
    },
    { what: 'every record version', subject: () => undefined, predicate: `${PREFIXES.dcat}version` },
    { what: 'every distribution media type', subject: () => undefined, predicate: `${PREFIXES.dcat}mediaType` },
    { what: 'every publisher name', subject: () => undefined, predicate: `${PREFIXES.foaf}name` },
    { what: "every distribution's access condition (EUCAIM profile)", subject: () => undefined, predicate: `${PREFIXES.dct}rights` },
  ])('fails without $what', async ({ subject, predicate }) => {
    const report = await validateFdp(without(subject(), predicate));
    expect(report.conforms).toBe(false);
    // A missing part of a nested node is reported on the property that leads to it.
    const reported = { [`${PREFIXES.foaf}name`]: `${PREFIXES.dct}publisher`, [`${PREFIXES.dct}rights`]: `${PREFIXES.dcat}distribution` };
    expect(report.problems.map((p) => p.path)).toContain(reported[predicate] ?? predicate);
  });
});

describe('a distribution registered without a media type', () => {
  it('is written with the default media type, so the dataset still conforms to the shapes', async () => {
    const d = await seed.make('No media type', 'published', {
      distributions: [{ accessUrl: 'https://hospital.example/request', accessCondition: 'DOWNLOAD', applicableLegislation: ['EHDS'] }],
    });
    expect(d.metadata.distributions[0]?.mediaType).toBeUndefined();
    const docs = await Promise.all([`${hub.url}/fdp/dataset/${d.id}`, `${hub.url}/fdp/distribution/${d.id}/1`].map((u) => getRdf(u)));
    const quads = docs.flatMap((doc) => doc.quads());
    const media = quads.filter(
      (q) => q.subject.value === `${hub.url}/fdp/distribution/${d.id}/1` && q.predicate.value === `${PREFIXES.dcat}mediaType`,
    );
    // Once from the dataset record, once from the distribution record: the same single value.
    expect(new Set(media.map((q) => q.object.value))).toEqual(
      new Set([`https://www.iana.org/assignments/media-types/${DEFAULT_MEDIA_TYPE}`]),
    );
    const report = await validateFdp(quads);
    expect(report.problems).toEqual([]);
  });
});

describe('the served shapes against the reference FAIR Data Point shapes themselves', () => {
  /** Every property constraint of a shape set, keyed by target class and path. */
  const constraints = (quads: Quad[]) => {
    const store = new Store(quads);
    const SH = 'http://www.w3.org/ns/shacl#';
    const out = new Map<string, string>();
    for (const shape of store.getSubjects(`${SH}targetClass`, null, null)) {
      const target = store.getObjects(shape, `${SH}targetClass`, null)[0]?.value;
      for (const p of store.getObjects(shape, `${SH}property`, null)) {
        const one = (k: string) => store.getObjects(p, `${SH}${k}`, null)[0]?.value ?? '-';
        out.set(`${target} ${one('path')}`, ['minCount', 'maxCount', 'nodeKind', 'datatype'].map(one).join(' '));
      }
    }
    return out;
  };

  it.skipIf(!!conformanceMissing)('state every reference constraint unchanged, but for the documented media type', () => {
    const reference = SHAPE_SETS.find((s) => s.name === 'FAIR Data Point reference') as ShapeSet;
    const theirs = constraints(shapeSetQuads(reference));
    const ours = constraints(shapeQuads(['resource', 'repository', 'catalog', 'dataset', 'distribution']));
    const mediaType = `${PREFIXES.dcat}Distribution ${PREFIXES.dcat}mediaType`;
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [key, value] of theirs) {
      if (key === mediaType) continue;
      expect(ours.get(key), key).toBe(value);
    }
    expect(theirs.get(mediaType)).toBe(`1 1 http://www.w3.org/ns/shacl#Literal -`);
    expect(ours.get(mediaType)).toBe(`1 1 http://www.w3.org/ns/shacl#IRI -`);
  });
});

describe("the shapes served at every record's dct:conformsTo", () => {
  const conformsTo = () =>
    [...new Set(output.filter((q) => q.predicate.value === `${PREFIXES.dct}conformsTo`).map((q) => q.object.value))].sort();

  it('names one profile per layer, each under /fdp/profile/', () => {
    expect(conformsTo()).toEqual(['catalog', 'dataset', 'distribution', 'repository'].map((l) => `${hub.url}/fdp/profile/${l}`));
  });

  it('serves each profile publicly as Turtle (and by Accept as N-Triples), cacheable', async () => {
    for (const url of conformsTo()) {
      const ttl = await getRdf(url);
      expect(ttl.res.status, `${url} ${ttl.text}`).toBe(200);
      expect(ttl.res.headers.get('content-type')).toMatch(/^text\/turtle/);
      expect(ttl.res.headers.get('cache-control')).toMatch(/^public/);
      expect(ttl.quads().some((q) => q.subject.value === url && q.object.value === 'http://www.w3.org/ns/dx/prof/Profile')).toBe(true);
      const nt = await getRdf(url, { accept: 'application/n-triples' });
      expect(nt.res.headers.get('content-type')).toMatch(/^application\/n-triples/);
    }
    const missing = await fetch(`${hub.url}/fdp/profile/nothing`);
    expect(missing.status).toBe(404);
  });

  it('holds the shapes the output is validated with: the output conforms to the served shapes, and not without a media type', async () => {
    const served = (await Promise.all(conformsTo().map((u) => getRdf(u)))).flatMap((d) => d.quads());
    expect((await validateFdp(output, served)).problems).toEqual([]);
    const noMedia = output.filter((q) => q.predicate.value !== `${PREFIXES.dcat}mediaType`);
    const report = await validateFdp(noMedia, served);
    expect(report.conforms).toBe(false);
    expect(report.problems.map((p) => p.path)).toContain(`${PREFIXES.dcat}mediaType`);
  });
});
