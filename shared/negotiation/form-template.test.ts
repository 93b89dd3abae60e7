import { describe, expect, it } from 'vitest';
import { sampleAnswers } from './sample-answers.ts';
import { countWords, eucaimApplicationForm, type FormAnswers, formDefinitionSchema, validateAnswers } from './form-template.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

/** A complete, valid application at the word limit: each test breaks one thing. */
const complete = (): FormAnswers => sampleAnswers({ description: words(600) });

describe('the EUCAIM application form', () => {
  it('has the six sections of Annex II, the last one the overview', () => {
    expect(eucaimApplicationForm.sections.map((s) => s.title)).toEqual([
      'Request summary',
      'Contact details',
      'Scientific relevance',
      'Ethical and legal requirements',
      'Confirmation',
      'Overview',
    ]);
    expect(eucaimApplicationForm.sections.at(-1)?.kind).toBe('overview');
  });

  it('accepts a complete application', () => {
    expect(validateAnswers(eucaimApplicationForm, complete())).toEqual([]);
  });

  it('names every missing required answer, with the right message for each kind of field', () => {
    const problems = validateAnswers(eucaimApplicationForm, {});
    expect(problems).toContainEqual({ path: 'contact.organisation_name', message: 'required' });
    expect(problems).toContainEqual({ path: 'scientific.description', message: 'required' });
    expect(problems).toContainEqual({ path: 'ethics_legal.ethics_approval', message: 'choose one' });
    expect(problems).toContainEqual({ path: 'ethics_legal.confidentiality', message: 'must be confirmed' });
    expect(problems).toContainEqual({ path: 'confirmation.personal_data', message: 'must be confirmed' });
    const required = eucaimApplicationForm.sections.flatMap((s) => s.elements.filter((e) => 'required' in e && e.required));
    expect(problems).toHaveLength(required.length);
  });

  it('reports several problems at once, one per field', () => {
    const answers = { ...complete(), description: words(601), intended_use: '   ', legal_compliance: false };
    expect(validateAnswers(eucaimApplicationForm, answers)).toEqual([
      { path: 'scientific.description', message: 'at most 600 words (now 601)' },
      { path: 'scientific.intended_use', message: 'required' },
      { path: 'ethics_legal.legal_compliance', message: 'must be confirmed' },
    ]);
  });

  it.each([
    ['phone', '963 877 000', 'contact.phone', 'a phone number with its country code, like +34 963 877 000'],
    ['organisation_acronym', 'X'.repeat(31), 'contact.organisation_acronym', 'at most 30 characters (now 31)'],
    ['timeline_months', 25, 'scientific.timeline_months', 'at most 24'],
    ['timeline_months', 2.5, 'scientific.timeline_months', 'must be a whole number'],
    ['timeline_months', '12', 'scientific.timeline_months', 'must be a number'],
    ['data_needed_from', '2027-02-30', 'scientific.data_needed_from', 'must be a date (YYYY-MM-DD)'],
    ['data_needed_until', '2026-12-31', 'scientific.data_needed_until', 'must not be before 2027-01-01'],
    ['ethics_approval', 'maybe', 'ethics_legal.ethics_approval', 'must be one of the choices offered'],
    ['due_diligence', ['dpo_statement', 'bribes'], 'ethics_legal.due_diligence', 'must be among the choices offered'],
    ['due_diligence', ['dpo_statement', 'dpo_statement'], 'ethics_legal.due_diligence', 'a choice is selected twice'],
    ['confidentiality', 'yes', 'ethics_legal.confidentiality', 'must be ticked (true) or left out'],
    ['ethics_certificate', '../etc/passwd', 'ethics_legal.ethics_certificate', 'must be the id of an uploaded attachment'],
    ['use_case_title', 42, 'scientific.use_case_title', 'must be text'],
    ['requested_datasets', 'anything', 'summary.requested_datasets', 'takes no answer'],
    ['favourite_colour', 'blue', 'favourite_colour', 'not a field of this form'],
  ])('refuses %s = %j', (field, value, path, message) => {
    expect(validateAnswers(eucaimApplicationForm, { ...complete(), [field]: value })).toEqual([{ path, message }]);
  });

  it('lets optional fields stay empty, and an optional confirmation unticked', () => {
    const form = formDefinitionSchema.parse({
      id: 'f',
      version: 1,
      title: 'F',
      sections: [{ id: 's', title: 'S', elements: [{ type: 'confirmation', id: 'newsletter', label: 'News', statement: 'Send me news' }] }],
    });
    expect(validateAnswers(form, { newsletter: false })).toEqual([]);
    expect(validateAnswers(form, {})).toEqual([]);
  });

  it('checks one step at a time, ignoring the other sections', () => {
    expect(validateAnswers(eucaimApplicationForm, { pi_name: 'Ana' }, 'contact').map((p) => p.path)).toEqual([
      'contact.organisation_name',
      'contact.organisation_acronym',
      'contact.pi_title',
      'contact.pi_surname',
      'contact.phone',
      'contact.applicant_role',
    ]);
  });
});

describe('counting words', () => {
  it.each([
    ['', 0],
    ['   ', 0],
    ['one', 1],
    [' two  words ', 2],
    ['lines\nand\ttabs count', 4],
  ])('%j has %i words', (text, n) => expect(countWords(text)).toBe(n));
});

describe('form definitions written by admins', () => {
  const section = (elements: unknown[]) => ({ id: 's', title: 'S', elements });
  const form = (sections: unknown[]) => ({ id: 'f', version: 1, title: 'F', sections });

  it.each([
    [
      'an element id used twice',
      form([
        section([{ type: 'text', id: 'a', label: 'A' }]),
        { id: 't', title: 'T', elements: [{ type: 'text', id: 'a', label: 'A again' }] },
      ]),
      'element id a is used twice',
    ],
    ['an unknown element type', form([section([{ type: 'video', id: 'a', label: 'A' }])]), 'Invalid discriminator value'],
    [
      'a choice offered twice',
      form([
        section([
          {
            type: 'single_choice',
            id: 'a',
            label: 'A',
            choices: [
              { value: 'x', label: 'X' },
              { value: 'x', label: 'Y' },
            ],
          },
        ]),
      ]),
      'choice values must be unique',
    ],
    [
      'a date after an element that is not a date',
      form([
        section([
          { type: 'text', id: 'a', label: 'A' },
          { type: 'date', id: 'b', label: 'B', notBefore: 'a' },
        ]),
      ]),
      'a is not a date element of this form',
    ],
    [
      'an overview that is not last',
      form([{ id: 'o', title: 'O', kind: 'overview' }, section([{ type: 'text', id: 'a', label: 'A' }])]),
      'at most one overview section, and it comes last',
    ],
    ['a section without elements', form([section([])]), 'an overview section holds no elements; any other section holds at least one'],
    ['an unexpected property', form([section([{ type: 'text', id: 'a', label: 'A', onclick: 'x' }])]), 'Unrecognized key'],
  ])('refuses %s', (_name, definition, message) => {
    const parsed = formDefinitionSchema.safeParse(definition);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join(' | ')).toContain(message);
  });

  it('fills in defaults: optional fields, 600 words for long text', () => {
    const parsed = formDefinitionSchema.parse(form([section([{ type: 'textarea', id: 'a', label: 'A' }])]));
    expect(parsed.sections[0]?.elements[0]).toEqual({ type: 'textarea', id: 'a', label: 'A', required: false, maxWords: 600 });
  });
});
