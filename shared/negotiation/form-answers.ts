// Answers to an application form, checked against its definition. Every problem is reported (not
// just the first), each with the path of its field, so a 422 and the web form name the same fields.
import { z } from 'zod';
import { type AnswerableElement, type FormDefinition, isAnswerable } from './form-definition.ts';

/** Answers keyed by element id; the shape only — what each value must be depends on the definition. */
export const formAnswersSchema = z.record(z.string().max(64), z.unknown()).refine((a) => Object.keys(a).length <= 500, 'too many answers');
export type FormAnswers = z.infer<typeof formAnswersSchema>;

export interface FieldProblem {
  /** `<section id>.<element id>`, e.g. `scientific.description`. */
  path: string;
  message: string;
}

/** Words as a reader counts them: runs of non-space characters. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

// Bounds the work of counting words and the size of what the hub stores, whatever the word limit.
const MAX_TEXT_CHARS = 50_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE = /^\+[1-9][0-9 ()-]{6,20}$/;

/** Unanswered: nothing, blank text, no choice, or an unticked confirmation. */
function isEmpty(el: AnswerableElement, v: unknown): boolean {
  if (el.type === 'confirmation' && v === false) return true;
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function validDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** What is wrong with one answered value, or null. */
function problemWith(el: AnswerableElement, v: unknown, answers: FormAnswers): string | null {
  switch (el.type) {
    case 'text':
      if (typeof v !== 'string') return 'must be text';
      if (v.length > el.maxLength) return `at most ${el.maxLength} characters (now ${v.length})`;
      if (el.format === 'phone' && !PHONE.test(v.trim())) return 'a phone number with its country code, like +34 963 877 000';
      return null;
    case 'textarea': {
      if (typeof v !== 'string') return 'must be text';
      if (v.length > MAX_TEXT_CHARS) return `at most ${MAX_TEXT_CHARS} characters`;
      const words = countWords(v);
      return words > el.maxWords ? `at most ${el.maxWords} words (now ${words})` : null;
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (el.integer && !Number.isInteger(v)) return 'must be a whole number';
      if (el.min !== undefined && v < el.min) return `at least ${el.min}`;
      if (el.max !== undefined && v > el.max) return `at most ${el.max}`;
      return null;
    case 'date': {
      if (typeof v !== 'string' || !validDate(v)) return 'must be a date (YYYY-MM-DD)';
      const other = el.notBefore ? answers[el.notBefore] : undefined;
      return typeof other === 'string' && validDate(other) && v < other ? `must not be before ${other}` : null;
    }
    case 'single_choice':
      return typeof v === 'string' && el.choices.some((c) => c.value === v) ? null : 'must be one of the choices offered';
    case 'multi_choice': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return 'must be a list of choices';
      if (new Set(v).size !== v.length) return 'a choice is selected twice';
      return v.every((x) => el.choices.some((c) => c.value === x)) ? null : 'must be among the choices offered';
    }
    case 'confirmation':
      return v === true ? null : 'must be ticked (true) or left out';
    case 'attachment':
      return typeof v === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(v) ? null : 'must be the id of an uploaded attachment';
  }
}

function requiredMessage(el: AnswerableElement): string {
  if (el.type === 'confirmation') return 'must be confirmed';
  if (el.type === 'multi_choice') return 'choose at least one';
  if (el.type === 'single_choice') return 'choose one';
  return 'required';
}

/**
 * Every problem of `answers` against `form`, optionally for one section only (a step of the web
 * form). Answers to elements the form does not have are problems too: nothing unvalidated is kept.
 */
export function validateAnswers(form: FormDefinition, answers: FormAnswers, onlySection?: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const known = new Set<string>();
  for (const section of form.sections) {
    for (const el of section.elements) {
      known.add(el.id);
      if (onlySection !== undefined && section.id !== onlySection) continue;
      const path = `${section.id}.${el.id}`;
      const v = answers[el.id];
      if (!isAnswerable(el)) {
        if (v !== undefined) problems.push({ path, message: 'takes no answer' });
        continue;
      }
      if (isEmpty(el, v)) {
        if (el.required) problems.push({ path, message: requiredMessage(el) });
        continue;
      }
      const problem = problemWith(el, v, answers);
      if (problem) problems.push({ path, message: problem });
    }
  }
  if (onlySection === undefined) {
    for (const key of Object.keys(answers)) if (!known.has(key)) problems.push({ path: key, message: 'not a field of this form' });
  }
  return problems;
}
