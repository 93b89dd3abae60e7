// Quads -> RDF/XML (the one RDF syntax every harvester reads, the reference FDP among them): one
// `rdf:Description` per subject, a property element per triple. Striped, flat and lossless: blank
// nodes by `rdf:nodeID`, literals with `xml:lang` or `rdf:datatype`. The tests parse it back with
// rdfxml-streaming-parser and compare graphs.
import type { Quad, Term } from 'n3';
import { PREFIXES } from './namespaces.ts';

const RDF = PREFIXES.rdf;
const XSD_STRING = `${PREFIXES.xsd}string`;
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

const xmlEscape = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');

/** Splits a property IRI into a namespace and an XML local name, declaring a prefix for it. */
class Namespaces {
  private readonly byIri = new Map<string, string>(Object.entries(PREFIXES).map(([p, iri]) => [iri, p]));
  readonly used = new Map<string, string>([['rdf', RDF]]);

  qname(iri: string): string {
    for (const [ns, prefix] of this.byIri) {
      if (iri.startsWith(ns) && NCNAME.test(iri.slice(ns.length))) return this.use(prefix, ns, iri.slice(ns.length));
    }
    const m = /^(.*[#/])([A-Za-z_][A-Za-z0-9._-]*)$/.exec(iri);
    if (!m) throw new Error(`${iri} cannot be written as an RDF/XML property`);
    const ns = m[1] as string;
    const prefix = `ns${this.byIri.size}`;
    this.byIri.set(ns, prefix);
    return this.use(prefix, ns, m[2] as string);
  }

  private use(prefix: string, ns: string, local: string) {
    this.used.set(prefix, ns);
    return `${prefix}:${local}`;
  }
}

const subjectAttr = (t: Term) => (t.termType === 'BlankNode' ? `rdf:nodeID="${xmlEscape(t.value)}"` : `rdf:about="${xmlEscape(t.value)}"`);

function property(ns: Namespaces, q: Quad): string {
  const name = ns.qname(q.predicate.value);
  const o = q.object;
  if (o.termType === 'NamedNode') return `<${name} rdf:resource="${xmlEscape(o.value)}"/>`;
  if (o.termType === 'BlankNode') return `<${name} rdf:nodeID="${xmlEscape(o.value)}"/>`;
  if (o.termType !== 'Literal') throw new Error(`cannot write a ${o.termType} in RDF/XML`);
  const attr = o.language
    ? ` xml:lang="${xmlEscape(o.language)}"`
    : o.datatype.value === XSD_STRING
      ? ''
      : ` rdf:datatype="${xmlEscape(o.datatype.value)}"`;
  return `<${name}${attr}>${xmlEscape(o.value)}</${name}>`;
}

export function toRdfXml(quads: Quad[]): string {
  const ns = new Namespaces();
  const subjects = new Map<string, { subject: Term; lines: string[] }>();
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    const entry = subjects.get(key) ?? { subject: q.subject, lines: [] };
    subjects.set(key, entry);
    entry.lines.push(`    ${property(ns, q)}`);
  }
  const body = [...subjects.values()].map(
    (s) => `  <rdf:Description ${subjectAttr(s.subject)}>\n${s.lines.join('\n')}\n  </rdf:Description>`,
  );
  const decls = [...ns.used].map(([p, iri]) => `xmlns:${p}="${xmlEscape(iri)}"`).join('\n    ');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF ${decls}>\n${body.join('\n')}\n</rdf:RDF>\n`;
}
