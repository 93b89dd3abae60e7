// Quads -> Turtle / N-Triples (n3's Writer) / expanded JSON-LD / RDF/XML (rdfxml.ts). JSON-LD is built from the quads
// here rather than with the jsonld package: expanded form is a direct, lossless transcription of
// the quads, and it keeps jsonld (HTTP client, canonicalisation) out of the Worker bundle.
import { Writer, type Quad, type Term } from 'n3';
import { PREFIXES } from './namespaces.ts';
import { RDF_TYPES, type RdfFormat } from './negotiate.ts';
import { toRdfXml } from './rdfxml.ts';

const RDF_TYPE = `${PREFIXES.rdf}type`;
const XSD_STRING = `${PREFIXES.xsd}string`;
const RDF_LANG_STRING = `${PREFIXES.rdf}langString`;

function writeN3(quads: Quad[], format: 'Turtle' | 'N-Triples'): Promise<string> {
  const writer = new Writer(format === 'Turtle' ? { format, prefixes: PREFIXES } : { format });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((err, out) => (err ? reject(err) : resolve(out))));
}

const nodeId = (t: Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);

type JsonLdValue = { '@id': string } | { '@value': string; '@language'?: string; '@type'?: string };
type JsonLdNode = { '@id': string; '@type'?: string[] } & Record<string, JsonLdValue[] | string[] | string>;

/** Expanded JSON-LD (an array of node objects), one per subject, in first-seen order. */
export function toExpandedJsonLd(quads: Quad[]): JsonLdNode[] {
  const nodes = new Map<string, JsonLdNode>();
  for (const q of quads) {
    const id = nodeId(q.subject);
    const node = nodes.get(id) ?? { '@id': id };
    nodes.set(id, node);
    const o = q.object;
    if (q.predicate.value === RDF_TYPE && o.termType === 'NamedNode') {
      node['@type'] = [...(node['@type'] ?? []), o.value];
      continue;
    }
    let value: JsonLdValue;
    if (o.termType === 'Literal') {
      const dt = o.datatype.value;
      value = o.language
        ? { '@value': o.value, '@language': o.language }
        : dt === XSD_STRING || dt === RDF_LANG_STRING
          ? { '@value': o.value }
          : { '@value': o.value, '@type': dt };
    } else value = { '@id': nodeId(o) };
    const list = (node[q.predicate.value] as JsonLdValue[] | undefined) ?? [];
    list.push(value);
    node[q.predicate.value] = list;
  }
  return [...nodes.values()];
}

export async function serialize(quads: Quad[], format: RdfFormat): Promise<{ body: string; contentType: string }> {
  if (format === 'jsonld') return { body: JSON.stringify(toExpandedJsonLd(quads)), contentType: RDF_TYPES.jsonld };
  if (format === 'rdf') return { body: toRdfXml(quads), contentType: `${RDF_TYPES.rdf}; charset=utf-8` };
  const body = await writeN3(quads, format === 'ttl' ? 'Turtle' : 'N-Triples');
  return { body, contentType: `${RDF_TYPES[format]}; charset=utf-8` };
}
