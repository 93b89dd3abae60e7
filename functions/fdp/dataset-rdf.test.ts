import { Parser, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_TYPE, datasetMetadataSchema } from '../../shared/catalogue/profile.ts';
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

  it('comes back equal with only the mandatory fields, but for the media type the FDP states', async () => {
    const meta = sampleMetadata();
    const { mapped } = await roundTrip('ttl', meta);
    const distributions = meta.distributions.map((d) => ({ ...d, mediaType: DEFAULT_MEDIA_TYPE }));
    expect(mapped).toEqual({ ...meta, distributions });
  });

  it('writes typed literals where DCAT-AP asks for them, and one named node per publisher, contact point and checksum', async () => {
    const { body } = await roundTrip('nt');
    expect(body).toContain('"0.0005"^^<http://www.w3.org/2001/XMLSchema#decimal>');
    expect(body).toContain('"P1D"^^<http://www.w3.org/2001/XMLSchema#duration>');
    expect(body).toContain(`"${'a'.repeat(64)}"^^<http://www.w3.org/2001/XMLSchema#hexBinary>`);
    for (const part of ['publisher', 'contact-point', 'publisher-contact', 'hdab', 'custodian'])
      expect(body).toContain(`<${iris.dataset(id)}#${part}>`);
    expect(body).toContain(`<${iris.distribution(id, 1)}#checksum>`);
    expect(body).not.toMatch(/_:\S+ <http:\/\/spdx.org\/rdf\/terms#checksumValue>/);
  });

  it('writes codes as the vocabularies IRIs and texts in English', async () => {
    const { body } = await roundTrip('nt');
    expect(body).toContain('<http://publications.europa.eu/resource/authority/access-right/RESTRICTED>');
    expect(body).toContain('<http://publications.europa.eu/resource/authority/data-theme/HEAL>');
    expect(body).toContain('<https://cancerimage.eu/ontology/EUCAIM#CLIN1000075>');
    expect(body).toContain(
      '<https://eucaim.github.io/eucaim_dcat_ap/releases/controlled-vocabularies/access-conditions/#IN_SITU_PROCESSING>',
    );
    expect(body).toContain(`"${iris.cataloguePage(id)}"`);
    expect(body).toContain('"Prostate MR, biopsy-confirmed"@en');
    expect(body).toContain('<mailto:access@hospital.example>');
  });

  it('keeps an IRI outside a vocabulary as is, so profile validation names it', async () => {
    const { body } = await roundTrip('nt');
    const doctored = body.replace('https://cancerimage.eu/ontology/EUCAIM#SPEC1000009', 'https://example.org/tier/unknown');
    const store = new Store(new Parser({ format: 'application/n-triples' }).parse(doctored));
    const [subject] = store.getSubjects(null, null, null).filter((s) => s.value === iris.dataset(id));
    const mapped = rdfToDataset(new RdfReader(store), subject!);
    expect(mapped.tier).toBe('https://example.org/tier/unknown');
    const problems = datasetMetadataSchema.safeParse(mapped).error?.issues.map((i) => i.path.join('.'));
    expect(problems).toEqual(['tier']);
  });
});
