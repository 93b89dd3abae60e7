// The ways into the helpdesk: a free "ask for help" form, and the seed's three request flows, each
// opening a ticket in its own group with the details the support team needs.
import { type HubClient, okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { type FieldSpec, formField, onSubmit, ticketOpened } from './helpdesk-form-kit.ts';

type Values = Record<string, string>;
interface Flow {
  id: string;
  title: string;
  intro: string;
  fields: FieldSpec[];
  send(client: HubClient, v: Values): Promise<{ id: string; delivery: 'queued' | 'sent' }>;
}

const notes: FieldSpec = { name: 'notes', label: 'Anything else the team should know', type: 'textarea' };

export const flows: Record<'biobank' | 'search-provider' | 'tool', Flow> = {
  biobank: {
    id: 'biobank',
    title: 'Create a data ingestion imaging biobank',
    intro:
      'Before uploading data to a reference node, an administrator creates the project and links it to the EUCAIM profiles who will upload. Goes to the Reference Nodes team.',
    fields: [
      { name: 'name', label: 'Name of the biobank', required: true, maxLength: 200 },
      { name: 'managingUser', label: 'EUCAIM username who will manage it', required: true, maxLength: 200 },
      { name: 'url', label: 'URL (if available)', type: 'url' },
      notes,
    ],
    send: async (c, v) =>
      okJson(
        await c.api.v1.helpdesk.flows.biobank.$post({
          json: { name: v.name ?? '', managingUser: v.managingUser ?? '', url: v.url, notes: v.notes },
        }),
      ),
  },
  'search-provider': {
    id: 'search-provider',
    title: 'Register a new federated search provider',
    intro: 'Once your bridge is deployed, ask for its registration in the explorer. Goes to the Federated Search team.',
    fields: [
      {
        name: 'nodeId',
        label: 'Node id',
        required: true,
        maxLength: 64,
        hint: 'Lower-case letters, digits and dashes, as in your bridge settings.',
      },
      { name: 'publicKey', label: 'Public key (as `enrol` printed it)', type: 'textarea', required: true, maxLength: 5000 },
      { name: 'contact', label: 'Technical contact', required: true, maxLength: 300 },
      notes,
    ],
    send: async (c, v) =>
      okJson(
        await c.api.v1.helpdesk.flows['search-provider'].$post({
          json: { nodeId: v.nodeId ?? '', publicKey: v.publicKey ?? '', contact: v.contact ?? '', notes: v.notes },
        }),
      ),
  },
  tool: {
    id: 'tool',
    title: 'Register a tool',
    intro:
      'Make your image and its build files available in a repository; the Technical Support Team reviews it before catalogue registration.',
    fields: [
      { name: 'image', label: 'Container image', required: true, maxLength: 300 },
      { name: 'repositoryUrl', label: 'Repository URL', type: 'url', required: true },
      { name: 'documentationUrl', label: 'Documentation URL', type: 'url', required: true },
      notes,
    ],
    send: async (c, v) =>
      okJson(
        await c.api.v1.helpdesk.flows.tool.$post({
          json: { image: v.image ?? '', repositoryUrl: v.repositoryUrl ?? '', documentationUrl: v.documentationUrl ?? '', notes: v.notes },
        }),
      ),
  },
};

function formCard(
  testId: string,
  title: string,
  intro: Node | string,
  fields: FieldSpec[],
  submitLabel: string,
  run: (v: Values) => Promise<{ id: string; delivery: 'queued' | 'sent' }>,
): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'negotiation-form', 'data-testid': `${testId}-form` },
    ...fields.map((f) => formField(testId, f)),
    h('button', { type: 'submit', class: 'primary' }, submitLabel),
  );
  onSubmit(
    form,
    out,
    async (v) => ticketOpened(await run(v)),
    (err) => errorBox(err, 'The request was not accepted'),
  );
  return h('section', { class: 'card', 'data-testid': testId }, h('h2', {}, title), h('p', {}, intro), form, out);
}

/** "Ask for help", reachable from the navigation of every page. */
export function helpPage(ctx: PageContext): HTMLElement {
  const flowLinks = h(
    'ul',
    {},
    ...Object.values(flows).map((f) => h('li', {}, h('a', { href: `/helpdesk/${f.id}`, 'data-testid': `flow-${f.id}` }, f.title))),
  );
  if (!ctx.me) {
    return h(
      'section',
      { class: 'card', 'data-testid': 'help-anonymous' },
      h('h2', {}, 'Help'),
      h('p', {}, 'The helpdesk is for logged-in users: log in with your LS-AAI identity to open a ticket and follow the answers here.'),
      h('p', {}, h('button', { type: 'button', class: 'primary', onclick: () => ctx.logIn() }, 'Log in to ask for help')),
      h('p', {}, 'Not part of EUCAIM yet? ', h('a', { href: '/join' }, 'See how to join'), '.'),
    );
  }
  // The Help link carries the page the user came from; it goes with the ticket as its context.
  const from = ctx.query.get('from') ?? '';
  const cameFrom = from.startsWith('/') && !from.startsWith('/help') ? from.slice(0, 500) : undefined;
  const card = formCard(
    'help',
    'Ask for help',
    'Questions, incidents and requests go to the first-level support team, who answer or pass your ticket to the right team.',
    [
      { name: 'title', label: 'Title', required: true, maxLength: 200 },
      { name: 'body', label: 'What do you need?', type: 'textarea', required: true },
      {
        name: 'page',
        label: 'About the page',
        maxLength: 500,
        value: cameFrom,
        hint: 'The page you came from, sent with your ticket so the team sees where you were. Clear it if the question is about something else.',
      },
    ],
    'Open ticket',
    async (v) =>
      okJson(await ctx.client.api.v1.helpdesk.tickets.$post({ json: { title: v.title ?? '', body: v.body ?? '', page: v.page } })),
  );
  return h(
    'div',
    {},
    card,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Requests with a form of their own'),
      flowLinks,
      h('p', {}, h('a', { href: '/helpdesk/tickets' }, 'My tickets')),
    ),
  );
}

export function flowPage(flow: Flow) {
  return (ctx: PageContext): HTMLElement =>
    formCard(`flow-${flow.id}`, flow.title, flow.intro, flow.fields, 'Send request', (v) => flow.send(ctx.client, v));
}
