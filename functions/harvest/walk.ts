// Walks a FAIR Data Point as the reference FDP's harvester does (FAIRDataTeam/FAIRDataPoint,
// HarvesterService): from the root, breadth-first; from a document with LDP containers along their
// `ldp:contains`, from one without along the reference navigation links (`r3d:dataCatalog`,
// `fdp:metadataCatalog`, `dcat:dataset`, `dcat:distribution`, as its defaultNavigationShacl.ttl
// names them); following each page's `Link: rel="next"`. A document below the root that cannot be
// read is reported and skipped, as the reference harvester skips it; a run-wide bound (deadline,
// bytes, documents, another origin) still ends the run.
import { type NamedNode, Parser, type Quad, Store } from 'n3';
import { RDF_TYPE, dcat, fdp, ldp, r3d } from '../fdp/namespaces.ts';
import { canonicalQuads } from '../fdp/rdf-to-dataset.ts';
import { type BoundedFetcher, HarvestFailure, type HarvestReason } from './fetcher.ts';

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2] ?? '')) return new URL(m[1] ?? '', base).toString();
  }
  return undefined;
}

type Kind = 'root' | 'catalog' | 'dataset' | 'distribution' | 'other';

/** The navigation links of the reference FDP, and what each leads to. */
const LINKS: [NamedNode, Kind][] = [
  [r3d('dataCatalog'), 'catalog'],
  [fdp('metadataCatalog'), 'catalog'],
  [dcat('dataset'), 'dataset'],
  [dcat('distribution'), 'distribution'],
];
const kindOf = (relation: string | undefined): Kind => LINKS.find(([p]) => p.value === relation)?.[1] ?? 'other';

/** Bounds that end the whole run; any other failure only skips the document. */
const RUN_WIDE: HarvestReason[] = ['deadline', 'run_too_large', 'too_many_documents', 'off_origin', 'internal'];

export interface WalkResult {
  store: Store;
  /** Documents below the root that could not be read (skipped). */
  failures: { url: string; reason: HarvestReason; message: string }[];
  /** Every dataset IRI a listing named, read or not: none of them may be withdrawn. */
  listed: Set<string>;
  /** False when a listing (a catalog or one of its pages) could not be read: nothing may be withdrawn. */
  complete: boolean;
  navigation: { containers: number; links: number };
}

export async function walkSource(root: string, fetcher: BoundedFetcher): Promise<WalkResult> {
  const out: WalkResult = { store: new Store(), failures: [], listed: new Set(), complete: true, navigation: { containers: 0, links: 0 } };
  const seen = new Set<string>();
  const queue: { url: string; kind: Kind }[] = [];
  const enqueue = (url: string, kind: Kind) => {
    const clean = fetcher.checkOrigin(url);
    if (kind === 'dataset') out.listed.add(clean);
    if (!seen.has(clean)) {
      seen.add(clean);
      queue.push({ url: clean, kind });
    }
  };
  enqueue(root, 'root');
  while (queue.length) {
    const { url, kind } = queue.shift() as { url: string; kind: Kind };
    let quads: Quad[];
    let link: string | null;
    try {
      const doc = await fetcher.get(url);
      link = doc.link;
      try {
        quads = canonicalQuads(new Parser({ format: 'text/turtle', baseIRI: doc.url }).parse(doc.text));
      } catch (err) {
        throw new HarvestFailure('invalid_rdf', `${doc.url}: ${(err as Error).message.slice(0, 300)}`);
      }
    } catch (err) {
      if (!(err instanceof HarvestFailure) || kind === 'root' || RUN_WIDE.includes(err.reason)) throw err;
      out.failures.push({ url, reason: err.reason, message: err.message });
      if (kind === 'catalog') out.complete = false;
      continue;
    }
    out.store.addQuads(quads);
    const containers = quads.filter((q) => q.predicate.equals(RDF_TYPE) && q.object.equals(ldp('DirectContainer'))).map((q) => q.subject);
    if (containers.length) {
      out.navigation.containers++;
      for (const c of containers) {
        const relation = quads.find((q) => q.subject.equals(c) && q.predicate.equals(ldp('hasMemberRelation')))?.object.value;
        for (const q of quads) {
          if (q.subject.equals(c) && q.predicate.equals(ldp('contains')) && q.object.termType === 'NamedNode')
            enqueue(q.object.value, kindOf(relation));
        }
      }
    } else {
      out.navigation.links++;
      for (const [relation, childKind] of LINKS) {
        for (const q of quads) if (q.predicate.equals(relation) && q.object.termType === 'NamedNode') enqueue(q.object.value, childKind);
      }
    }
    const next = nextLink(link, url);
    if (next) enqueue(next, kind);
  }
  return out;
}
