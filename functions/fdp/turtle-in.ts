// Turtle input for registration: a document describing one dcat:Dataset becomes the profile's
// JSON. Checking that JSON against the profile (422, every problem) stays with the catalogue.
import { Parser, type Quad, type Quad_Subject, Store } from 'n3';
import { AppError } from '../../shared/errors.ts';
import { RDF_TYPE, dcat } from './namespaces.ts';
import { type MappedDataset, RdfReader, canonicalQuads, datasetIdentity, rdfToDataset } from './rdf-to-dataset.ts';

export interface TurtleDataset {
  metadata: MappedDataset;
  /** The UUID the document gives the dataset (in its `dct:identifier` or its IRI), when it gives one. */
  identifier?: string;
}

interface N3ErrorContext {
  line?: number;
  token?: { line?: number; start?: number };
  previousToken?: { line?: number; end?: number };
}

/** 1-based line and column of a parse error: n3 gives the line and the offending token's offset. */
function errorPosition(text: string, ctx: N3ErrorContext): { line: number; column: number } {
  const line = ctx.line ?? 1;
  if (ctx.token?.start !== undefined) return { line, column: ctx.token.start + 1 };
  // Lexer errors carry no token: the fault is the first non-blank character after the previous one.
  const source = text.split(/\r\n|\n|\r/)[line - 1] ?? '';
  const from = ctx.previousToken?.line === line ? (ctx.previousToken.end ?? 0) : 0;
  const offset = source.slice(from).search(/\S/);
  return { line, column: from + Math.max(offset, 0) + 1 };
}

export function parseTurtle(text: string, baseIRI: string): Quad[] {
  try {
    return new Parser({ format: 'text/turtle', baseIRI }).parse(text);
  } catch (err) {
    const e = err as Error & { context?: N3ErrorContext };
    const { line, column } = errorPosition(text, e.context ?? {});
    // n3's message ends with "on line N."; the details give line and column on their own.
    throw new AppError('bad_request', `Turtle does not parse at line ${line}, column ${column}: ${e.message}`, { line, column });
  }
}

/** The one dcat:Dataset of a Turtle document as profile JSON; 400 when it does not parse or holds none or several. */
export function datasetFromTurtle(text: string, baseIRI = 'urn:eucaim:registration:'): TurtleDataset {
  const store = new Store(canonicalQuads(parseTurtle(text, baseIRI)));
  const datasets = store.getSubjects(RDF_TYPE, dcat('Dataset'), null) as Quad_Subject[];
  if (datasets.length !== 1) {
    throw new AppError('bad_request', `the Turtle document must describe exactly one dcat:Dataset; it describes ${datasets.length}`);
  }
  const reader = new RdfReader(store);
  const subject = datasets[0] as Quad_Subject;
  const { uuid } = datasetIdentity(reader, subject);
  return uuid === undefined ? { metadata: rdfToDataset(reader, subject) } : { metadata: rdfToDataset(reader, subject), identifier: uuid };
}
