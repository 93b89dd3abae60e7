// `/catalogue/register` and `/catalogue/datasets/:id/edit`: the registration form for data holders
// and admins. Every change is checked with the hub's own schema, so each field says at once what
// is wrong; the hub's 422 answer is shown the same way, field by field.
import type { z } from 'zod';
import { DEFAULT_MEDIA_TYPE, datasetMetadataSchema } from '../../../shared/catalogue/profile.ts';
import { registrationSchema } from '../../../shared/catalogue/registration.ts';
import { formatPath } from '../../../shared/errors.ts';
import { ApiError, okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { type Field, FIELD_GROUPS, fieldInput, getPath, setPath } from './catalogue-form-fields.ts';
import { errorBox } from './error-box.ts';

type Fault = { path: string; message: string };
/** A fault belongs to a field when it names the field, a part of it, or the object the field is part of. */
const belongs = (f: Fault, p: string) =>
  f.path === p || f.path.startsWith(`${p}[`) || f.path.startsWith(`${p}.`) || p.startsWith(`${f.path}.`);
const faultsOf = (issues: readonly z.core.$ZodIssue[], prefix = ''): Fault[] =>
  issues.map((i) => ({ path: prefix + formatPath(i.path), message: i.message }));

export async function catalogueFormPage(ctx: PageContext): Promise<Node> {
  const editing = ctx.params.id;
  if (!editing && !ctx.me?.roles.includes('platform_admin') && !ctx.me?.administeredNodes.length) {
    return h(
      'p',
      { class: 'card', 'data-testid': 'forbidden' },
      'Datasets are registered by the admins of the node that holds them, and by platform admins.',
    );
  }
  const { series } = await okJson(await ctx.client.api.v1.catalogue.series.$get());
  const seriesOptions = series.map((s) => ({ code: s.id, label: s.title, iri: '' }));
  let body: Record<string, unknown> = {
    metadata: {
      healthCategory: ['EHRS'],
      applicableLegislation: ['EHDS'],
      distributions: [{ mediaType: DEFAULT_MEDIA_TYPE, applicableLegislation: ['EHDS'] }],
    },
  };
  if (editing) {
    const d = await okJson(await ctx.client.api.v1.catalogue.datasets[':id'].$get({ param: { id: editing } }));
    if (!d.canEdit || !d.metadata)
      return h('p', { class: 'card', 'data-testid': 'forbidden' }, 'Only the dataset owner, its node admins and platform admins edit it.');
    body = { metadata: structuredClone(d.metadata), representatives: d.representatives ?? [] };
  }
  const platformFields: Field[] = [
    { path: 'representatives', label: 'Representatives (user ids)', kind: 'list', hint: 'they answer access requests for it' },
  ];
  if (!editing) {
    platformFields.unshift(
      {
        path: 'id',
        label: 'Identifier (UUID)',
        kind: 'text',
        hint: 'leave empty to mint one; give the id your node already answers searches with',
      },
      { path: 'nodeId', label: 'Node', kind: 'one' },
    );
  }
  const nodeOptions = (ctx.me?.administeredNodes ?? []).map((n) => ({ code: n, label: n, iri: '' }));
  const inputs: { field: Field; read(): unknown; error: HTMLElement }[] = [];
  const touched = new Set<string>();
  let submitted = false;
  const summary = h('div', { 'data-testid': 'form-summary', 'aria-live': 'polite' });

  const row = (field: Field) => {
    const options = field.path === 'metadata.seriesId' ? seriesOptions : field.path === 'nodeId' ? nodeOptions : undefined;
    const input = fieldInput(field, getPath(body, field.path), options);
    const error = h('span', { class: 'field-error', 'data-error-for': field.path, 'data-testid': `error-${field.path}` });
    inputs.push({ field, read: input.read, error });
    input.el.addEventListener('input', () => touched.add(field.path));
    input.el.addEventListener('change', () => touched.add(field.path));
    return h(
      'div',
      { class: 'form-row' },
      h('label', { for: input.el.id }, field.label),
      input.el,
      field.hint ? h('span', { class: 'muted hint' }, field.hint) : null,
      error,
    );
  };

  const collect = () => {
    const out = structuredClone(body);
    for (const i of inputs) setPath(out, i.field.path, i.read());
    // An optional agent left blank is no agent (not one without a name).
    const metadata = out.metadata as Record<string, unknown> | undefined;
    for (const key of ['hdab', 'custodian'])
      if (metadata && typeof metadata[key] === 'object' && !Object.keys(metadata[key] as object).length) delete metadata[key];
    return out;
  };
  const show = (faults: Fault[]) => {
    for (const i of inputs) {
      const mine = faults.filter((f) => belongs(f, i.field.path));
      i.error.textContent = submitted || touched.has(i.field.path) ? mine.map((f) => f.message).join('; ') : '';
    }
    const elsewhere = faults.filter((f) => !inputs.some((i) => belongs(f, i.field.path)));
    summary.replaceChildren(
      ...(submitted && faults.length
        ? [
            h(
              'p',
              { class: 'error' },
              `${faults.length} problem${faults.length === 1 ? '' : 's'} to fix before saving.`,
              ...elsewhere.map((f) => h('span', {}, ` ${f.path}: ${f.message}.`)),
            ),
          ]
        : []),
    );
  };
  const check = (): Fault[] => {
    const value = collect();
    const result = editing ? datasetMetadataSchema.safeParse(value.metadata) : registrationSchema.safeParse(value);
    const faults = result.success ? [] : faultsOf(result.error.issues, editing ? 'metadata.' : '');
    show(faults);
    return faults;
  };

  const form = h(
    'form',
    { class: 'card register-form', novalidate: true, 'data-testid': 'register-form' },
    summary,
    h('fieldset', { class: 'group' }, h('legend', {}, 'Platform'), ...platformFields.map(row)),
    ...FIELD_GROUPS.map((g) => h('fieldset', { class: 'group' }, h('legend', {}, g.title), ...g.fields.map(row))),
  );
  const save = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'save-dataset' },
    editing ? 'Save changes' : 'Register as draft',
  );
  form.append(h('p', { class: 'actions' }, save));
  form.addEventListener('input', () => check());
  form.addEventListener('change', () => check());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted = true;
    if (check().length) return;
    save.disabled = true;
    const value = collect() as z.infer<typeof registrationSchema>;
    const request = editing
      ? ctx.client.api.v1.catalogue.datasets[':id'].$patch({
          param: { id: editing },
          json: { metadata: value.metadata, representatives: value.representatives },
        })
      : ctx.client.api.v1.catalogue.datasets.$post({ json: value });
    request
      .then((res) => okJson(res))
      .then((saved) => ctx.navigate(`/catalogue/datasets/${saved.id}`))
      .catch((err) => {
        save.disabled = false;
        if (err instanceof ApiError && err.details.length) show(err.details);
        form.prepend(errorBox(err, 'The hub did not save the dataset'));
      });
  });
  return h(
    'div',
    {},
    h('h2', {}, editing ? 'Edit dataset' : 'Register a dataset'),
    h(
      'p',
      { class: 'muted' },
      'Fields follow EUCAIM DCAT-AP v2.0; all shown are mandatory except the identifier, representatives, HDAB, variables (unless the data is structured), licence and media type; the publisher needs an e-mail address or a contact page. A new dataset is a draft until you publish it.',
    ),
    form,
  );
}
