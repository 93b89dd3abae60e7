// SHACL validation with rdf-validate-shacl: the tests validate the FDP's output with it (against the
// official DCAT-AP and FAIR Data Point shapes, and against the shapes the hub serves); the hub itself
// never validates its own answers at run time.
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
  /** `Violation`, `Warning` or `Info` (the local name of the sh:severity). */
  severity: string;
  /** The constraint component that failed, by local name (`MinCountConstraintComponent`, `ClassConstraintComponent`...). */
  component: string;
  value: string | undefined;
  shape: string | undefined;
}

const localName = (iri: string | undefined) => (iri ?? '').replace(/^.*[#/]/, '');

/** Checks data against shapes (by default every shape document the FDP serves). */
export async function validateFdp(quads: Quad[], shapes: Quad[] = shapeQuads()): Promise<{ conforms: boolean; problems: ShaclProblem[] }> {
  const validator = new SHACLValidator(rdf.dataset(shapes), { factory: rdf });
  const report = await validator.validate(rdf.dataset(quads));
  return {
    conforms: report.conforms,
    problems: report.results.map((r) => ({
      focus: r.focusNode?.value ?? '',
      path: r.path?.value,
      message: r.message.map((m) => m.value).join('; '),
      severity: localName(r.severity?.value) || 'Violation',
      component: localName(r.sourceConstraintComponent?.value),
      value: r.value?.value,
      shape: r.sourceShape?.value,
    })),
  };
}
