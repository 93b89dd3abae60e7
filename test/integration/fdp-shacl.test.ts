import type { Quad } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIXES } from '../../functions/fdp/namespaces.ts';
import { SHAPE_FILES, validateFdp } from '../../functions/fdp/shacl.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { getRdf, seedDatasets } from './fdp-support.ts';

let hub: TestHub;
let output: Quad[];
let datasetIri: string;

beforeAll(async () => {
  hub = await startTestHub();
  const seed = await seedDatasets(hub);
  const d = await seed.make('Validated dataset', 'published');
  datasetIri = `${hub.url}/fdp/dataset/${d.id}`;
  // Every layer of the FDP, as a harvester reads them.
  const layers = await Promise.all([`${hub.url}/fdp`, `${hub.url}/fdp/catalog/eucaim`, datasetIri, `${hub.url}/fdp/distribution/${d.id}/1`, `${hub.url}/fdp/distribution/${d.id}/2`].map((u) => getRdf(u)));
  for (const l of layers) expect(l.res.status, l.text).toBe(200);
  output = layers.flatMap((l) => l.quads());
});
afterAll(async () => hub?.stop());

const without = (subject: string | undefined, predicate: string) =>
  output.filter((q) => !((subject === undefined || q.subject.value === subject) && q.predicate.value === predicate));

describe('the FDP output against the FAIR Data Point reference shapes and the EUCAIM dataset shape', () => {
  it('loads every shape file', () => {
    expect(SHAPE_FILES.sort()).toEqual(['catalog.ttl', 'dataset.ttl', 'distribution.ttl', 'eucaim-dataset.ttl', 'repository.ttl', 'resource.ttl']);
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
    { what: "the dataset's subject count (EUCAIM profile)", subject: () => datasetIri, predicate: `${PREFIXES.healthdcatap}numberOfUniqueIndividuals` },
    { what: 'every record version', subject: () => undefined, predicate: `${PREFIXES.dcat}version` },
    { what: 'every distribution media type', subject: () => undefined, predicate: `${PREFIXES.dcat}mediaType` },
    { what: 'every publisher name', subject: () => undefined, predicate: `${PREFIXES.foaf}name` },
    { what: 'every fdp:metadataModified', subject: () => undefined, predicate: `${PREFIXES.fdp}metadataModified` },
  ])('fails without $what', async ({ subject, predicate }) => {
    const report = await validateFdp(without(subject(), predicate));
    expect(report.conforms).toBe(false);
    expect(report.problems.map((p) => p.path)).toContain(predicate === `${PREFIXES.foaf}name` ? `${PREFIXES.dct}publisher` : predicate);
  });
});
