import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { sampleMetadata } from '../catalogue/sample.ts';
import { datasetToRdf } from './dataset-to-rdf.ts';
import { fdpIris } from './iris.ts';
import { serialize } from './serialize.ts';
import { datasetFromTurtle } from './turtle-in.ts';

const iris = fdpIris('https://hub.example');

function refusal(text: string): AppError {
  try {
    datasetFromTurtle(text);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the document was accepted');
}

describe('datasetFromTurtle', () => {
  it('turns a Turtle description of one dataset into the profile JSON with its identifier', async () => {
    const id = crypto.randomUUID();
    const meta = sampleMetadata({
      title: 'From Turtle',
      distributions: [{ ...sampleMetadata().distributions[0]!, mediaType: 'application/dicom' }],
    });
    const { body } = await serialize(datasetToRdf(meta, id, iris).quads, 'ttl');
    expect(datasetFromTurtle(body)).toEqual({ metadata: meta, identifier: id });
  });

  it('reads a hand-written document with relative IRIs and no identifier', () => {
    const text = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<#it> a dcat:Dataset ;
  dct:title "Hand written"@en ;
  dcat:keyword "a", "b" ;
  dcat:inSeries <series/my-biobank> .`;
    const out = datasetFromTurtle(text);
    expect(out.identifier).toBeUndefined();
    expect(out.metadata).toEqual({ title: 'Hand written', keywords: ['a', 'b'], seriesId: 'my-biobank' });
  });

  it.each([
    { what: 'an undefined prefix', text: '@prefix dct: <http://purl.org/dc/terms/> .\n\n   ex:a dct:title "x" .', line: 3, column: 4 },
    { what: 'a stray character', text: '@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title $ .', line: 2, column: 15 },
    { what: 'an unterminated statement', text: '<a> <b> <c> .\n<a> <b> "x"', line: 2, column: 12 },
  ])('refuses Turtle with $what as 400 naming line and column', ({ text, line, column }) => {
    const err = refusal(text);
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ line, column });
    expect(err.message).toContain(`line ${line}, column ${column}`);
  });

  it.each([
    { what: 'no dataset', text: '<a> <b> <c> .', count: 0 },
    { what: 'two datasets', text: '@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset .\n<b> a dcat:Dataset .', count: 2 },
  ])('refuses a document with $what as 400', ({ text, count }) => {
    const err = refusal(text);
    expect(err.status).toBe(400);
    expect(err.message).toContain(`it describes ${count}`);
  });
});
