// Turtle registration bodies: the RDF side's reader (functions/fdp/turtle-in.ts) turns the one
// dcat:Dataset of the document into the profile's JSON (400 with line and column when it does not
// parse); the catalogue then validates it like JSON. What Turtle does not carry comes from the
// query: `?nodeId=` and repeated `?representative=` on registration.
import { datasetFromTurtle } from '../fdp/turtle-in.ts';
import type { TurtleReader } from './body.ts';

export function turtleReader(kind: 'register' | 'update'): TurtleReader {
  return async (text, c) => {
    const { metadata, identifier } = datasetFromTurtle(text);
    const id = identifier === undefined ? {} : { id: identifier };
    if (kind === 'update') return { ...id, metadata };
    const nodeId = c.req.query('nodeId');
    const representatives = c.req.queries('representative');
    return { ...id, ...(nodeId ? { nodeId } : {}), ...(representatives ? { representatives } : {}), metadata };
  };
}
