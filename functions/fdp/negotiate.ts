// Content negotiation for RDF answers: `?format=` first (the FAIR Data Point convention for clients
// that cannot set headers), then `Accept` with its q-values; Turtle when the client does not care.
import { AppError } from '../../shared/errors.ts';

export const RDF_TYPES = {
  ttl: 'text/turtle',
  jsonld: 'application/ld+json',
  nt: 'application/n-triples',
  rdf: 'application/rdf+xml',
} as const;
export type RdfFormat = keyof typeof RDF_TYPES;
export const SUPPORTED_RDF_TYPES = Object.values(RDF_TYPES);

interface Range {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

/** Media ranges of an Accept header, best first (q, then specificity, then position). */
export function parseAccept(header: string | undefined): Range[] {
  if (!header?.trim()) return [];
  const ranges: Range[] = [];
  header.split(',').forEach((part, order) => {
    const [range = '', ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    ranges.push({ type, subtype, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0, order });
  });
  const specificity = (r: Range) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
  return ranges.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

const matches = (r: Range, mime: string) => {
  const [type, subtype] = mime.split('/');
  return (r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype);
};

/**
 * The offered type the client prefers, or null when it accepts none of them. An offer's quality
 * is that of the most specific range matching it, so `text/turtle;q=0, *\/*` refuses Turtle.
 */
export function pickType<T extends string>(accept: string | undefined, offers: readonly T[]): T | null {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return offers[0] ?? null;
  const specificity = (r: Range) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
  let best: { offer: T; q: number; order: number } | null = null;
  for (const offer of offers) {
    const match = ranges.filter((r) => matches(r, offer)).sort((a, b) => specificity(b) - specificity(a))[0];
    if (!match || match.q <= 0) continue;
    // Equal qualities: the client's earlier range wins, then our order of offers.
    if (!best || match.q > best.q || (match.q === best.q && match.order < best.order)) best = { offer, q: match.q, order: match.order };
  }
  return best?.offer ?? null;
}

/**
 * The RDF format of an FDP answer, or null when the client accepts none (the caller answers 406).
 * An unknown `?format=` is a 400: the client named something we never offer.
 */
export function negotiateRdf(accept: string | undefined, format: string | undefined): RdfFormat | null {
  if (format !== undefined) {
    if (Object.hasOwn(RDF_TYPES, format)) return format as RdfFormat;
    throw new AppError('bad_request', `format must be one of ${Object.keys(RDF_TYPES).join(', ')}`, { supported: Object.keys(RDF_TYPES) });
  }
  const type = pickType(accept, SUPPORTED_RDF_TYPES);
  return type ? (rdfFormatOf(type) ?? null) : null;
}

/** The RDF format a media type names, if it is one of ours. */
export function rdfFormatOf(type: string): RdfFormat | undefined {
  return (Object.keys(RDF_TYPES) as RdfFormat[]).find((k) => RDF_TYPES[k] === type);
}
