// An application form as data: admins adjust it without code, so a definition is validated by this
// schema before the hub stores or serves it, and answers are validated against the definition
// (form-answers.ts) by the web app while typing and by the hub on submission.
import { z } from 'zod';

const fieldId = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter');
const choice = z.object({ value: fieldId, label: z.string().min(1).max(500) }).strict();
const choices = z
  .array(choice)
  .min(2)
  .max(50)
  .refine((cs) => new Set(cs.map((c) => c.value)).size === cs.length, 'choice values must be unique');

const base = {
  id: fieldId,
  label: z.string().min(1).max(500),
  help: z.string().max(2000).optional(),
  required: z.boolean().default(false),
};

/** Every kind of form element; `request_summary` and `information` show text and take no answer. */
export const formElementSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request_summary'), id: fieldId, label: base.label }).strict(),
  z.object({ type: z.literal('information'), id: fieldId, label: base.label, text: z.string().min(1).max(5000) }).strict(),
  z
    .object({
      ...base,
      type: z.literal('text'),
      maxLength: z.number().int().min(1).max(2000).default(300),
      format: z.enum(['phone']).optional(),
    })
    .strict(),
  z.object({ ...base, type: z.literal('textarea'), maxWords: z.number().int().min(1).max(5000).default(600) }).strict(),
  z
    .object({
      ...base,
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().default(false),
      unit: z.string().max(40).optional(),
    })
    .strict(),
  z.object({ ...base, type: z.literal('date'), notBefore: fieldId.optional() }).strict(),
  z.object({ ...base, type: z.literal('single_choice'), choices }).strict(),
  z.object({ ...base, type: z.literal('multi_choice'), choices }).strict(),
  /** A statement the applicant must tick when required. */
  z.object({ ...base, type: z.literal('confirmation'), statement: z.string().min(1).max(5000) }).strict(),
  /** The id of an uploaded attachment; uploads themselves are checked by content where they are stored. */
  z
    .object({
      ...base,
      type: z.literal('attachment'),
      accept: z
        .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/))
        .min(1)
        .max(20),
    })
    .strict(),
]);
export type FormElement = z.infer<typeof formElementSchema>;
export type FormElementType = FormElement['type'];
export type AnswerableElement = Exclude<FormElement, { type: 'request_summary' | 'information' }>;

export const formSectionSchema = z
  .object({
    id: fieldId,
    title: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** `overview` shows every answer before submitting and holds no elements of its own. */
    kind: z.enum(['fields', 'overview']).default('fields'),
    elements: z.array(formElementSchema).max(100).default([]),
  })
  .strict()
  .refine(
    (s) => (s.kind === 'overview' ? s.elements.length === 0 : s.elements.length > 0),
    'an overview section holds no elements; any other section holds at least one',
  );
export type FormSection = z.infer<typeof formSectionSchema>;

export const formDefinitionSchema = z
  .object({
    id: fieldId,
    version: z.number().int().min(1),
    title: z.string().min(1).max(200),
    sections: z.array(formSectionSchema).min(1).max(20),
  })
  .strict()
  .superRefine((form, ctx) => {
    const seen = new Set<string>();
    form.sections.forEach((section, si) => {
      section.elements.forEach((el, ei) => {
        if (seen.has(el.id))
          ctx.addIssue({ code: 'custom', path: ['sections', si, 'elements', ei, 'id'], message: `element id ${el.id} is used twice` });
        seen.add(el.id);
      });
    });
    form.sections.forEach((section, si) => {
      section.elements.forEach((el, ei) => {
        if (el.type === 'date' && el.notBefore && !dateIds(form.sections).has(el.notBefore))
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'elements', ei, 'notBefore'],
            message: `${el.notBefore} is not a date element of this form`,
          });
        if (el.type === 'number' && el.min !== undefined && el.max !== undefined && el.min > el.max)
          ctx.addIssue({ code: 'custom', path: ['sections', si, 'elements', ei, 'max'], message: 'max is below min' });
      });
    });
    const overviews = form.sections.filter((s) => s.kind === 'overview').length;
    if (overviews > 1 || (overviews === 1 && form.sections.at(-1)?.kind !== 'overview'))
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'at most one overview section, and it comes last' });
  });
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
/** A definition as written (defaults may be left out), e.g. by an admin or in form-template.ts. */
export type FormDefinitionInput = z.input<typeof formDefinitionSchema>;

function dateIds(sections: readonly FormSection[]): Set<string> {
  return new Set(sections.flatMap((s) => s.elements.filter((e) => e.type === 'date').map((e) => e.id)));
}

export function isAnswerable(el: FormElement): el is AnswerableElement {
  return el.type !== 'request_summary' && el.type !== 'information';
}
