// A tiny helper over n3's DataFactory so mappings read as "subject, property, value" lines.
import { type BlankNode, DataFactory, type Literal, type NamedNode, type Quad, type Quad_Object, type Quad_Subject } from 'n3';
import { RDF_TYPE, xsd } from './namespaces.ts';

const { literal, namedNode, quad, blankNode } = DataFactory;

export class Graph {
  readonly quads: Quad[] = [];

  add(s: Quad_Subject, p: NamedNode, o: Quad_Object | undefined): this {
    if (o) this.quads.push(quad(s, p, o));
    return this;
  }
  type(s: Quad_Subject, ...classes: NamedNode[]): this {
    for (const c of classes) this.add(s, RDF_TYPE, c);
    return this;
  }
  /** A fresh blank node described by `fill`: structured values (agents, periods) without IRIs of their own. */
  node(s: Quad_Subject, p: NamedNode, fill: (b: BlankNode) => void): this {
    const b = blankNode();
    this.add(s, p, b);
    fill(b);
    return this;
  }
  merge(other: Graph): this {
    this.quads.push(...other.quads);
    return this;
  }
}

export const iri = (value: string | undefined) => (value ? namedNode(value) : undefined);
export const en = (value: string | undefined): Literal | undefined => (value === undefined ? undefined : literal(value, 'en'));
export const str = (value: string | undefined): Literal | undefined => (value === undefined ? undefined : literal(value));
export const int = (value: number | undefined) => (value === undefined ? undefined : literal(String(value), xsd('nonNegativeInteger')));
export const bool = (value: boolean) => literal(String(value), xsd('boolean'));
/** `xsd:decimal` in its canonical lexical form (no exponent, as XML Schema requires). */
export const decimal = (value: number | undefined) =>
  value === undefined ? undefined : literal(value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '.0'), xsd('decimal'));
export const duration = (value: string | undefined) => (value ? literal(value, xsd('duration')) : undefined);
export const hexBinary = (value: string | undefined) => (value ? literal(value, xsd('hexBinary')) : undefined);
export const date = (value: string | undefined) => (value ? literal(value, xsd('date')) : undefined);
export const dateTime = (value: string | Date | undefined | null) =>
  value ? literal(new Date(value).toISOString(), xsd('dateTime')) : undefined;
