// Validates FDP output against the shapes in ./shapes with rdf-validate-shacl. Node only (reads the
// shape files): the tests use it; the hub itself never validates its own answers at run time.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import rdf from '@zazuko/env';
import { Parser, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const shapesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'shapes');

export const SHAPE_FILES = readdirSync(shapesDir).filter((f) => f.endsWith('.ttl'));

function shapes() {
  const quads = SHAPE_FILES.flatMap((f) => new Parser({ format: 'text/turtle' }).parse(readFileSync(path.join(shapesDir, f), 'utf8')));
  return rdf.dataset(quads);
}

export interface ShaclProblem {
  focus: string;
  path: string | undefined;
  message: string;
}

export async function validateFdp(quads: Quad[]): Promise<{ conforms: boolean; problems: ShaclProblem[] }> {
  const validator = new SHACLValidator(shapes(), { factory: rdf });
  const report = await validator.validate(rdf.dataset(quads));
  return {
    conforms: report.conforms,
    problems: report.results.map((r) => ({ focus: r.focusNode?.value ?? '', path: r.path?.value, message: r.message.map((m) => m.value).join('; ') })),
  };
}
