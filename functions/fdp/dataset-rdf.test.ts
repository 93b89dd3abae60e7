import { Parser, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { datasetMetadataSchema } from '../../shared/catalogue/profile.ts';
import { sampleMetadata } from '../catalogue/sample.ts';
import { datasetToRdf } from './dataset-to-rdf.ts';
import { fullMetadata } from './fixtures.ts';
import { fdpIris } from './iris.ts';
import { RdfReader, rdfToDataset } from './rdf-to-dataset.ts';
import { serialize } from './serialize.ts';

const iris = fdpIris('https://hub.example');
const id = '0b7a1c52-5e0a-4d4e-9a2b-3f1b6f0c9d11';

async function roundTrip(format: 'ttl' | 'nt', meta = fullMetadata()) {
  const { body } = await serialize(datasetToRdf(meta, id, iris).quads, format);
  const store = new Store(new Parser({ format: format === 'ttl' ? 'text/turtle' : 'application/n-triples' }).parse(body));
  const subject = store.getSubjects(null, null, null).find((s) => s.value === iris.dataset(id));
  if (!subject) throw new Error('dataset subject missing');
  return { body, mapped: rdfToDataset(new RdfReader(store), subject) };
}

describe('dataset metadata <-> RDF', () => {
  it.each(['ttl', 'nt'] as const)('comes back equal after a round trip through %s (every field set)', async (format) => {
    const meta = fullMetadata();
    expect(datasetMetadataSchema.parse(meta)).toEqual(meta);
    const { mapped } = await roundTrip(format, meta);
    expect(mapped).toEqual(meta);
  });

  it('comes back equal with only the mandatory fields', async () => {
    const meta = sampleMetadata();
    const { mapped } = await roundTrip('ttl', meta);
    expect(mapped).toEqual(meta);
  });

  it('writes codes as the vocabularies IRIs and texts in English', async () => {
    const { body } = await roundTrip('nt');
    expect(body).toContain('<http://publications.europa.eu/resource/authority/access-right/RESTRICTED>');
    expect(body).toContain('<http://publications.europa.eu/resource/authority/data-theme/HEAL>');
    expect(body).toContain('"Prostate MR, biopsy-confirmed"@en');
    expect(body).toContain('<mailto:access@hospital.example>');
  });

  it('keeps an IRI outside a vocabulary as is, so profile validation names it', async () => {
    const { body } = await roundTrip('nt');
    const doctored = body.replace('https://w3id.org/eucaim/ontology#TIER_1', 'https://example.org/tier/unknown');
    const store = new Store(new Parser({ format: 'application/n-triples' }).parse(doctored));
    const [subject] = store.getSubjects(null, null, null).filter((s) => s.value === iris.dataset(id));
    const mapped = rdfToDataset(new RdfReader(store), subject!);
    expect(mapped.tier).toBe('https://example.org/tier/unknown');
    const problems = datasetMetadataSchema.safeParse(mapped).error?.issues.map((i) => i.path.join('.'));
    expect(problems).toEqual(['tier']);
  });
});
