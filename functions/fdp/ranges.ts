// DCAT-AP's range shapes ask every IRI a record points to for the class the property expects
// (`dcat:theme` a `skos:Concept`, `dct:license` a `dct:LicenseDocument`...). The hub states those
// classes beside the link, in the same document, as EU catalogues do: a record then validates on its
// own and merged. The classes are the ranges of DCAT-AP 3.0.1 (`shacl/ranges.ttl`) and of the
// EUCAIM profile (access conditions are `skos:Concept, dct:RightsStatement` in its vocabulary).
import { DataFactory, type NamedNode, type Quad } from 'n3';
import { THEME_HEALTH, VOCABULARIES } from '../../shared/catalogue/vocabularies.ts';
import type { Graph } from './graph.ts';
import { ADMS_WITHDRAWN, RDF_TYPE, dcat, dcatap, dct, eli, eucaim, foaf, healthdcatap, rdfs, skos, spdx } from './namespaces.ts';

const RANGES: [NamedNode, NamedNode[]][] = [
  [dcat('theme'), [skos('Concept')]],
  [dct('type'), [skos('Concept')]],
  [healthdcatap('healthCategory'), [skos('Concept')]],
  [healthdcatap('healthTheme'), [skos('Concept')]],
  [dct('accessRights'), [dct('RightsStatement')]],
  [dct('rights'), [skos('Concept'), dct('RightsStatement')]],
  [dcatap('applicableLegislation'), [eli('LegalResource')]],
  [dct('license'), [dct('LicenseDocument')]],
  [dcat('mediaType'), [dct('MediaType'), dct('MediaTypeOrExtent')]],
  [dcat('landingPage'), [foaf('Document')]],
  [dct('conformsTo'), [dct('Standard')]],
  [spdx('algorithm'), [spdx('ChecksumAlgorithm')]],
  [dcat('themeTaxonomy'), [skos('ConceptScheme')]],
  [dct('language'), [dct('LinguisticSystem')]],
  [dcat('endpointURL'), [rdfs('Resource')]],
  // The profile's hyper-ontology properties: their terms are concepts of the hub's SKOS vocabularies.
  ...[
    'interoperabilityLevel',
    'hasCondition',
    'hasImageModality',
    'hasEquipmentManufacturer',
    'hasImageBodyPart',
    'hasBirthSex',
    'collectionMethod',
  ].map((p): [NamedNode, NamedNode[]] => [eucaim(p), [skos('Concept')]]),
];

/** DCAT-AP asks every `skos:Concept` for a `skos:prefLabel` and every scheme for a `dct:title`: the vocabularies' own labels. */
const LABELS = new Map<string, string>([
  ...Object.values(VOCABULARIES).flatMap((v) => v.terms.map((t): [string, string] => [t.iri, t.label])),
  [THEME_HEALTH.iri, THEME_HEALTH.label],
  [ADMS_WITHDRAWN, 'Withdrawn'],
]);
const SCHEME_TITLES = new Map([['http://publications.europa.eu/resource/authority/data-theme', 'Data theme']]);
const byPredicate = new Map(RANGES.map(([p, classes]) => [p.value, classes]));

/** The hub's scheme of each vocabulary term (`/fdp/vocabularies/{name}`), by the term's IRI. */
const SCHEME_OF = new Map(Object.entries(VOCABULARIES).flatMap(([name, v]) => v.terms.map((t): [string, string] => [t.iri, name])));

/**
 * Adds the range classes of every IRI the graph links to, once each; a concept of one of the
 * catalogue's vocabularies also names the hub's SKOS scheme it is served in (`vocabulary(name)`).
 */
export function typeLinkedIris(g: Graph, vocabulary?: (name: string) => string): Graph {
  const seen = new Set(g.quads.filter((q) => q.predicate.equals(RDF_TYPE)).map((q) => `${q.subject.value} ${q.object.value}`));
  const extra: Quad[] = [];
  for (const q of g.quads) {
    const classes = byPredicate.get(q.predicate.value);
    if (!classes || q.object.termType !== 'NamedNode') continue;
    for (const c of classes) {
      const key = `${q.object.value} ${c.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      extra.push(DataFactory.quad(q.object, RDF_TYPE, c));
      const label = c.equals(skos('Concept'))
        ? LABELS.get(q.object.value)
        : c.equals(skos('ConceptScheme'))
          ? SCHEME_TITLES.get(q.object.value)
          : undefined;
      if (label)
        extra.push(
          DataFactory.quad(q.object, c.equals(skos('Concept')) ? skos('prefLabel') : dct('title'), DataFactory.literal(label, 'en')),
        );
      const scheme = c.equals(skos('Concept')) && vocabulary ? SCHEME_OF.get(q.object.value) : undefined;
      if (scheme && vocabulary) extra.push(DataFactory.quad(q.object, skos('inScheme'), DataFactory.namedNode(vocabulary(scheme))));
    }
  }
  g.quads.push(...extra);
  return g;
}
