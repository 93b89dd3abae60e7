// The application form, step by step: one section per step, the draft saved at every step (in this
// browser for the preview, on the hub for a stored negotiation), each step checked with the shared
// validator before moving on, and an overview of every answer before submitting.
import type { InferResponseType } from 'hono/client';
import {
  type FieldProblem,
  type FormAnswers,
  type FormDefinition,
  isAnswerable,
  validateAnswers,
} from '../../../shared/negotiation/form-template.ts';
import { type HubClient, okJson } from '../api.ts';
import { readCart } from '../cart.ts';
import { h, replace } from '../dom.ts';
import { errorBox } from './error-box.ts';
import { type FieldContext, formField, showFieldError } from './negotiation-form-fields.ts';

type ServedForm = InferResponseType<HubClient['api']['v1']['negotiation']['form']['$get']>;

export const draftKey = (form: FormDefinition) => `eucaim.negotiation-draft.${form.id}.v${form.version}`;

/** Where a draft lives between visits. */
export interface DraftStore {
  load(): FormAnswers;
  save(answers: FormAnswers): void | Promise<void>;
}

/** The preview's store: this browser's localStorage. */
export function localDraft(form: FormDefinition): DraftStore {
  return { load: () => loadDraft(form), save: (answers) => localStorage.setItem(draftKey(form), JSON.stringify(answers)) };
}

function loadDraft(form: FormDefinition): FormAnswers {
  try {
    const parsed = JSON.parse(localStorage.getItem(draftKey(form)) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as FormAnswers) : {};
  } catch {
    // A corrupt draft must not lock the applicant out of the form; it is overwritten at the next change.
    return {};
  }
}

/** An answer as the overview shows it: choices by their labels, confirmations as "Confirmed". */
function shown(form: FormDefinition, id: string, value: unknown): string {
  const el = form.sections.flatMap((s) => s.elements).find((e) => e.id === id);
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (el?.type === 'single_choice') return el.choices.find((c) => c.value === value)?.label ?? String(value);
  if (el?.type === 'multi_choice' && Array.isArray(value))
    return value.map((v) => el.choices.find((c) => c.value === v)?.label ?? v).join('; ');
  if (el?.type === 'confirmation') return value === true ? 'Confirmed' : '—';
  return String(value);
}

/** `onSubmit` runs once the shared validator finds nothing; it answers what to tell the applicant. */
export function negotiationForm(
  form: FormDefinition,
  opts: {
    store: DraftStore;
    onSubmit(answers: FormAnswers): Promise<string>;
    datasets?: FieldContext['datasets'];
    attachments?: FieldContext['attachments'];
  },
): HTMLElement {
  const answers = opts.store.load();
  const root = h('div', { class: 'negotiation-form', 'data-testid': 'negotiation-form' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'form-status' });
  let step = 0;

  const save = () => Promise.resolve(opts.store.save(answers));
  const set = (id: string) => (value: unknown) => {
    if (value === undefined) delete answers[id];
    else answers[id] = value;
    showFieldError(root, id, undefined);
  };
  const saveDraft = () =>
    save()
      .then(() => replace(status, 'Draft saved.'))
      .catch((err) => root.append(errorBox(err, 'The draft could not be saved')));
  // Every step change saves, so leaving the page loses at most the step being filled in.
  const go = (to: number) => {
    step = to;
    draw();
    void save().catch((err) => root.append(errorBox(err, 'The draft could not be saved')));
  };
  const show = (problems: FieldProblem[]) => {
    for (const p of problems) showFieldError(root, p.path.split('.').at(-1) ?? p.path, p.message);
    root.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
  };

  function progress(): HTMLElement {
    return h(
      'ol',
      { class: 'steps', 'data-testid': 'form-steps' },
      ...form.sections.map((s, i) =>
        h('li', { 'aria-current': i === step ? 'step' : undefined, class: i < step ? 'done' : undefined }, s.title),
      ),
    );
  }

  function overview(): HTMLElement {
    const submit = h('button', { type: 'button', class: 'primary', 'data-testid': 'form-submit' }, 'Submit application');
    submit.addEventListener('click', () => {
      const problems = validateAnswers(form, answers);
      const first = form.sections.findIndex((s) => problems.some((p) => p.path.startsWith(`${s.id}.`)));
      if (first >= 0) {
        go(first);
        show(problems.filter((p) => p.path.startsWith(`${form.sections[first]?.id}.`)));
        return;
      }
      submit.disabled = true;
      save()
        .then(() => opts.onSubmit(answers))
        .then((message) => replace(status, message))
        .catch((err) => root.append(errorBox(err, 'The hub did not accept the application')))
        .finally(() => {
          submit.disabled = false;
        });
    });
    return h(
      'div',
      { 'data-testid': 'form-overview' },
      ...form.sections
        .filter((s) => s.elements.some(isAnswerable))
        .map((s) =>
          h(
            'section',
            {},
            h('h3', {}, s.title, ' ', h('button', { type: 'button', class: 'link', onclick: () => go(form.sections.indexOf(s)) }, 'Edit')),
            h(
              'dl',
              {},
              ...s.elements
                .filter(isAnswerable)
                .flatMap((e) => [h('dt', {}, e.label), h('dd', { 'data-answer': e.id }, shown(form, e.id, answers[e.id]))]),
            ),
          ),
        ),
      submit,
    );
  }

  function draw(): void {
    const section = form.sections[step];
    if (!section) return;
    const last = step === form.sections.length - 1;
    const next = h('button', { type: 'button', class: 'primary', 'data-testid': 'form-next' }, 'Next');
    next.addEventListener('click', () => {
      const problems = validateAnswers(form, answers, section.id);
      if (problems.length) return show(problems);
      go(step + 1);
    });
    const body =
      section.kind === 'overview'
        ? overview()
        : h(
            'div',
            {},
            ...section.elements.map((el) =>
              formField(el, {
                value: answers[el.id],
                set: set(el.id),
                datasets: opts.datasets ?? readCart(),
                attachments: opts.attachments,
              }),
            ),
          );
    replace(
      root,
      progress(),
      h('h2', { 'data-testid': 'form-step-title' }, `${step + 1}. ${section.title}`),
      section.description ? h('p', { class: 'muted' }, section.description) : null,
      body,
      h(
        'div',
        { class: 'form-nav' },
        step > 0 ? h('button', { type: 'button', 'data-testid': 'form-back', onclick: () => go(step - 1) }, 'Back') : null,
        h('button', { type: 'button', 'data-testid': 'form-save', onclick: saveDraft }, 'Save draft'),
        last ? null : next,
      ),
      status,
    );
    replace(status);
  }

  draw();
  return root;
}

/** The EUCAIM application as served by the hub, with the hub's own check on submit. */
export async function negotiationFormPage(client: HubClient): Promise<HTMLElement> {
  const form: ServedForm = await okJson(await client.api.v1.negotiation.form.$get());
  const definition = form as FormDefinition;
  const check = async (answers: FormAnswers) => {
    await okJson(await client.api.v1.negotiation.form.check.$post({ json: { answers } }));
    return 'The hub checked the application: it is complete. Applications are submitted from an access request (see Requests).';
  };
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, form.title),
    negotiationForm(definition, { store: localDraft(definition), onSubmit: check }),
  );
}
