// Validates FDP output against the shapes in ./shapes with rdf-validate-shacl: the tests use it;
// the hub itself never validates its own answers at run time.
import rdf from '@zazuko/env';
import type { Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { shapeQuads } from './profiles.ts';
import { SHAPES, type ShapeName } from './shapes/index.ts';

export const SHAPE_NAMES = Object.keys(SHAPES) as ShapeName[];

export interface ShaclProblem {
  focus: string;
  path: string | undefined;
  message: string;
}

/** Checks data against shapes (by default every shape document of the FDP). */
export async function validateFdp(quads: Quad[], shapes: Quad[] = shapeQuads()): Promise<{ conforms: boolean; problems: ShaclProblem[] }> {
  const validator = new SHACLValidator(rdf.dataset(shapes), { factory: rdf });
  const report = await validator.validate(rdf.dataset(quads));
  return {
    conforms: report.conforms,
    problems: report.results.map((r) => ({
      focus: r.focusNode?.value ?? '',
      path: r.path?.value,
      message: r.message.map((m) => m.value).join('; '),
    })),
  };
}
