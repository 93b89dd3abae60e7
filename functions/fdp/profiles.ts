// The documents behind every record's `dct:conformsTo <…/fdp/profile/{layer}>`: a short
// description of the profile (W3C Profiles Vocabulary) and the SHACL shapes a record of that layer
// must satisfy, so a harvester can fetch the shapes and validate what it reads.
import { DataFactory, Parser, type Quad } from 'n3';
import { Graph, en } from './graph.ts';
import type { FdpLayer } from './iris.ts';
import { dct } from './namespaces.ts';
import type { FdpSelf } from './records.ts';
import { MEDIA_TYPE_DEVIATION, PROFILE_SHAPES, SHAPES, type ShapeName } from './shapes/index.ts';

export const FDP_LAYERS = Object.keys(PROFILE_SHAPES) as FdpLayer[];

/** Bump when a shape changes: it is the profiles' `Last-Modified` and part of their ETag. */
export const SHAPES_MODIFIED = '2026-12-08T00:00:00.000Z';

/** How each layer's shapes relate to the FAIR Data Point reference server's default shapes. */
const RELATION: Record<FdpLayer, string> = {
  repository: 'The FAIR Data Point reference shapes for a resource, a FAIR Data Point, a metadata service and a data service, unchanged.',
  catalog: 'The FAIR Data Point reference shapes for a resource and a catalog, unchanged.',
  dataset:
    'The FAIR Data Point reference shapes for a resource and a dataset, unchanged, and the mandatory properties of EUCAIM DCAT-AP v2.0.',
  distribution: `The FAIR Data Point reference shapes for a resource and a distribution, with one difference: ${MEDIA_TYPE_DEVIATION}`,
};

const PROF = 'http://www.w3.org/ns/dx/prof/';
const prof = (local: string) => DataFactory.namedNode(PROF + local);

/** The quads of some shape documents, each parsed on its own so blank node labels cannot collide. */
export function shapeQuads(names: readonly ShapeName[] = Object.keys(SHAPES) as ShapeName[]): Quad[] {
  return names.flatMap((n) => new Parser({ format: 'text/turtle' }).parse(SHAPES[n]));
}

export function profileRecord(self: FdpSelf, layer: FdpLayer): Quad[] {
  const s = DataFactory.namedNode(self.iris.profile(layer));
  const g = new Graph()
    .type(s, prof('Profile'), dct('Standard'))
    .add(s, dct('title'), en(`EUCAIM FAIR Data Point ${layer} profile`))
    .add(s, dct('description'), en(`The SHACL shapes every ${layer} record of this FAIR Data Point conforms to. ${RELATION[layer]}`));
  g.node(s, prof('hasResource'), (r) =>
    g
      .type(r, prof('ResourceDescriptor'))
      .add(r, prof('hasRole'), DataFactory.namedNode('http://www.w3.org/ns/dx/prof/role/validation'))
      .add(r, dct('conformsTo'), DataFactory.namedNode('https://www.w3.org/TR/shacl/'))
      .add(r, dct('format'), DataFactory.namedNode('https://www.iana.org/assignments/media-types/text/turtle'))
      .add(r, prof('hasArtifact'), s),
  );
  return [...g.quads, ...shapeQuads(PROFILE_SHAPES[layer])];
}
