// Seed 5.1's public "Expression of Interest from new Stakeholders" form. Anyone may send it; the
// hub stores it, opens a ticket for the consortium and acknowledges it by e-mail.
import { okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { type FieldSpec, formField, onSubmit } from './helpdesk-form-kit.ts';
import { JOIN_ROLES, type JoinRole } from './join-pages.ts';

const INTERESTS = [
  ['data_holder', 'Data Holder (Primary Use Clinical Repository and Hospital, Data Warehouse architecture)'],
  ['repository', 'Repository (Secondary Use Research Repository)'],
  ['technical_resources', 'Technical Resources and Expertise (Storage / Computation / Services / Interoperability)'],
  ['ai_tools', 'AI Tools and Solutions'],
  ['elsi_ehds', 'ELSI - EHDS'],
  ['dissemination', 'Dissemination and Communication'],
] as const;
type Interest = (typeof INTERESTS)[number][0];
const GENDERS = [
  ['female', 'Female'],
  ['male', 'Male'],
  ['non_binary', 'Non-binary'],
  ['prefer_not_to_say', 'Prefer not to say'],
] as const;

const FIELDS: FieldSpec[] = [
  { name: 'contactPerson', label: 'Contact person for the work/project, full name', required: true, maxLength: 200 },
  { name: 'email', label: 'E-mail address', type: 'email', required: true, maxLength: 254 },
  { name: 'telephone', label: 'Telephone number', type: 'tel', required: true, maxLength: 30 },
  { name: 'jobTitle', label: 'Job title', required: true, maxLength: 200 },
  { name: 'organisation', label: 'Organisation, full legal name', required: true, maxLength: 300 },
  { name: 'department', label: 'Department name', required: true, maxLength: 200 },
  { name: 'street', label: 'Street', required: true, maxLength: 300 },
  { name: 'town', label: 'Town', required: true, maxLength: 200 },
  { name: 'postCode', label: 'Post code', required: true, maxLength: 20 },
  { name: 'country', label: 'Country', required: true, maxLength: 100 },
];

export function interestPage(ctx: PageContext): HTMLElement {
  const roleParam = ctx.query.get('role');
  const role = roleParam && roleParam in JOIN_ROLES ? (roleParam as JoinRole) : undefined;
  const out = h('div', { 'aria-live': 'polite' });
  const gender = h(
    'select',
    { id: 'eoi-gender', name: 'gender', required: true, 'data-testid': 'eoi-gender' },
    h('option', { value: '' }, 'Choose…'),
    ...GENDERS.map(([v, l]) => h('option', { value: v }, l)),
  );
  const form = h(
    'form',
    { class: 'negotiation-form', 'data-testid': 'eoi-form' },
    formField('eoi', { name: 'date', label: 'Date', type: 'date', required: true, value: new Date().toISOString().slice(0, 10) }),
    h('div', { class: 'field' }, h('label', { for: 'eoi-gender', class: 'is-required' }, 'Gender'), gender),
    ...FIELDS.map((f) => formField('eoi', f)),
    h(
      'fieldset',
      { 'data-testid': 'eoi-interests' },
      h('legend', {}, 'Main interest (select one or more)'),
      ...INTERESTS.map(([v, l]) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'interests', value: v }), ` ${l}`)),
    ),
    formField('eoi', {
      name: 'capabilities',
      label: 'Capabilities and functionalities',
      type: 'textarea',
      required: true,
      maxLength: 5000,
    }),
    h('button', { type: 'submit', class: 'primary' }, 'Send expression of interest'),
  );
  onSubmit(
    form,
    out,
    async (v) => {
      const interests = Array.from(form.querySelectorAll<HTMLInputElement>('input[name=interests]:checked'), (i) => i.value as Interest);
      const r = await okJson(
        await ctx.client.api.v1['expressions-of-interest'].$post({
          json: {
            date: v.date ?? '',
            contactPerson: v.contactPerson ?? '',
            gender: (v.gender ?? '') as (typeof GENDERS)[number][0],
            email: v.email ?? '',
            telephone: v.telephone ?? '',
            jobTitle: v.jobTitle ?? '',
            organisation: v.organisation ?? '',
            department: v.department ?? '',
            street: v.street ?? '',
            town: v.town ?? '',
            postCode: v.postCode ?? '',
            country: v.country ?? '',
            interests,
            capabilities: v.capabilities ?? '',
            role,
          },
        }),
      );
      return h(
        'p',
        { class: 'card', role: 'status', 'data-testid': 'eoi-received' },
        `Thank you: we received your expression of interest (reference ${r.id}) and sent you an acknowledgement by e-mail.`,
      );
    },
    (err) => errorBox(err, 'The form was not accepted'),
  );
  return h(
    'section',
    { class: 'card', 'data-testid': 'eoi' },
    h('h2', {}, 'Expression of Interest from new Stakeholders'),
    h(
      'p',
      {},
      'This form asks for your contact details, and for more specific information on your capabilities, experience and how your organisation could join the EUCAIM project.',
    ),
    role ? h('p', { class: 'muted' }, `You are applying to: ${JOIN_ROLES[role].title}.`) : null,
    form,
    out,
  );
}
