// The catalogue's vocabularies as SKOS (`/fdp/vocabularies/{name}`): a `skos:ConceptScheme` the hub
// names, listing the profile's own concept IRIs (hyper-ontology terms, EU authority tables, the
// profile's access conditions) with their notation and label, so a harvester or a form can read
// what the hub accepts without reading the hub's code.
import { DataFactory } from 'n3';
import { VOCABULARIES, type VocabularyName } from '../../shared/catalogue/vocabularies.ts';
import { Graph, en, str } from './graph.ts';
import type { FdpSelf } from './records.ts';
import { dct, skos } from './namespaces.ts';

const { namedNode } = DataFactory;

export const VOCABULARY_NAMES = Object.keys(VOCABULARIES) as VocabularyName[];

export function vocabularyRecord(self: FdpSelf, name: VocabularyName): Graph {
  const { title, terms } = VOCABULARIES[name];
  const g = new Graph();
  const scheme = namedNode(self.iris.vocabulary(name));
  g.type(scheme, skos('ConceptScheme')).add(scheme, dct('title'), en(title)).add(scheme, skos('prefLabel'), en(title));
  for (const t of terms) {
    const c = namedNode(t.iri);
    g.add(scheme, skos('hasTopConcept'), c)
      .type(c, skos('Concept'))
      .add(c, skos('inScheme'), scheme)
      .add(c, skos('topConceptOf'), scheme)
      .add(c, skos('notation'), str(t.code))
      .add(c, skos('prefLabel'), en(t.label));
  }
  return g;
}
