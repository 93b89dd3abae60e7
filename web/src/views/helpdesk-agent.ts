// The embedded helpdesk's agent view for platform admins: the queue, one ticket's articles, a
// reply box and the state. With Zammad configured the hub says so and agents work there.
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { formField, onSubmit } from './helpdesk-form-kit.ts';

type DeskTicket = InferResponseType<HubClient['api']['v1']['helpdesk']['agent']['tickets'][':id']['$get'], 200>;
const STATES = ['new', 'open', 'pending', 'closed'] as const;

export async function agentQueuePage(ctx: PageContext): Promise<HTMLElement> {
  const section = h(
    'section',
    { class: 'card', 'data-testid': 'agent-queue' },
    h('h2', {}, 'Helpdesk: all tickets'),
    h('p', {}, h('a', { href: '/helpdesk/outbox' }, 'Outbox (mail the platform sent)')),
  );
  try {
    const { tickets } = await okJson(await ctx.client.api.v1.helpdesk.agent.tickets.$get({ query: {} }));
    section.append(
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h('tr', {}, ...['Ticket', 'Title', 'Group', 'Customer', 'State', 'Updated'].map((c) => h('th', { scope: 'col' }, c))),
        ),
        h(
          'tbody',
          {},
          ...tickets.map((t) =>
            h(
              'tr',
              { 'data-testid': `agent-row-${t.id}` },
              h('td', {}, t.number),
              h('td', {}, h('a', { href: `/helpdesk/agent/${t.id}` }, t.title)),
              h('td', {}, t.group),
              h('td', {}, t.customer),
              h('td', {}, t.state),
              h('td', {}, new Date(t.updatedAt).toLocaleString()),
            ),
          ),
        ),
      ),
    );
  } catch (err) {
    section.append(errorBox(err, 'The helpdesk queue cannot be shown'));
  }
  return section;
}

export async function agentTicketPage(ctx: PageContext): Promise<HTMLElement> {
  const id = ctx.params.id ?? '';
  const section = h('section', { class: 'card', 'data-testid': 'agent-ticket' });
  const load = async () => okJson(await ctx.client.api.v1.helpdesk.agent.tickets[':id'].$get({ param: { id } }));
  const draw = (t: DeskTicket) => {
    const out = h('div', { 'aria-live': 'polite' });
    const reply = h(
      'form',
      { class: 'negotiation-form', 'data-testid': 'agent-reply-form' },
      formField('agent-reply', { name: 'body', label: 'Reply to the customer', type: 'textarea', required: true }),
      h('button', { type: 'submit', class: 'primary' }, 'Send reply'),
    );
    onSubmit(
      reply,
      out,
      async (v) => {
        await okJson(await ctx.client.api.v1.helpdesk.agent.tickets[':id'].replies.$post({ param: { id }, json: { body: v.body ?? '' } }));
        draw(await load());
        return h('span');
      },
      (err) => errorBox(err, 'The reply was not sent'),
    );
    const state = h(
      'select',
      { id: 'agent-state', 'data-testid': 'agent-state' },
      ...STATES.map((s) => h('option', { value: s, selected: s === t.state }, s)),
    );
    state.addEventListener('change', () => {
      void ctx.client.api.v1.helpdesk.agent.tickets[':id'].state
        .$post({ param: { id }, json: { state: state.value as (typeof STATES)[number] } })
        .then(okJson)
        .then(load)
        .then(draw)
        .catch((err) => out.replaceChildren(errorBox(err, 'The state was not changed')));
    });
    replace(
      section,
      h('h2', {}, `${t.number}: ${t.title}`),
      h('p', {}, `${t.group} · ${t.customer} · `, h('label', { for: 'agent-state' }, 'state '), state),
      h(
        'ol',
        { class: 'conversation', 'data-testid': 'agent-articles' },
        ...t.articles.map((a) =>
          h(
            'li',
            { class: `article article-${a.sender}` },
            h(
              'p',
              { class: 'muted small' },
              `${a.sender === 'agent' ? (a.author ?? 'agent') : (a.author ?? 'customer')} · ${new Date(a.createdAt).toLocaleString()}`,
            ),
            h('p', { class: 'article-body' }, a.body),
          ),
        ),
      ),
      reply,
      out,
      h('p', {}, h('a', { href: '/helpdesk/agent' }, 'Back to the queue')),
    );
  };
  try {
    draw(await load());
  } catch (err) {
    replace(section, errorBox(err, 'This ticket cannot be shown'));
  }
  return section;
}
