// Walks a FAIR Data Point as the known harvesters do: from the root, breadth-first along
// `ldp:contains`, following each container's `Link: rel="next"` pages, into one graph.
import { Parser, type Quad, Store } from 'n3';
import { ldp } from '../fdp/namespaces.ts';
import { type BoundedFetcher, HarvestFailure } from './fetcher.ts';

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2] ?? '')) return new URL(m[1] ?? '', base).toString();
  }
  return undefined;
}

export async function walkSource(root: string, fetcher: BoundedFetcher): Promise<Store> {
  const store = new Store();
  const seen = new Set<string>();
  const queue: string[] = [];
  const enqueue = (url: string) => {
    const clean = fetcher.checkOrigin(url);
    if (!seen.has(clean)) {
      seen.add(clean);
      queue.push(clean);
    }
  };
  enqueue(root);
  while (queue.length) {
    const doc = await fetcher.get(queue.shift() as string);
    let quads: Quad[];
    try {
      quads = new Parser({ format: 'text/turtle', baseIRI: doc.url }).parse(doc.text);
    } catch (err) {
      throw new HarvestFailure('invalid_rdf', `${doc.url}: ${(err as Error).message.slice(0, 300)}`);
    }
    store.addQuads(quads);
    for (const q of quads) {
      if (q.predicate.equals(ldp('contains')) && q.object.termType === 'NamedNode') enqueue(q.object.value);
    }
    const next = nextLink(doc.link, doc.url);
    if (next) enqueue(next);
  }
  return store;
}
