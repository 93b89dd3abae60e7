// "My tickets" and one ticket's conversation: status, the user's messages and the team's replies,
// and a box to answer. Replies arrive through the hub (Zammad's webhook or the agent view).
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { formField, onSubmit } from './helpdesk-form-kit.ts';

type Ticket = InferResponseType<HubClient['api']['v1']['helpdesk']['tickets'][':id']['$get'], 200>;

const statusLabel: Record<string, string> = {
  queued: 'waiting to be sent',
  new: 'new',
  open: 'open',
  pending: 'pending',
  closed: 'closed',
};
const when = (iso: string) => new Date(iso).toLocaleString();

export async function myTicketsPage(ctx: PageContext): Promise<HTMLElement> {
  const { tickets } = await okJson(await ctx.client.api.v1.helpdesk.tickets.$get());
  const body = tickets.length
    ? h(
        'table',
        { 'data-testid': 'my-tickets' },
        h('thead', {}, h('tr', {}, ...['Ticket', 'Title', 'Team', 'Status', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...tickets.map((t) =>
            h(
              'tr',
              { 'data-testid': `ticket-row-${t.id}` },
              h('td', {}, t.number ?? '—'),
              h('td', {}, h('a', { href: `/helpdesk/tickets/${t.id}` }, t.title)),
              h('td', {}, t.group),
              h('td', { 'data-testid': 'ticket-status' }, statusLabel[t.status] ?? t.status),
              h('td', {}, when(t.updatedAt)),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted', 'data-testid': 'no-tickets' }, 'You have not opened any tickets.');
  return h('section', { class: 'card' }, h('h2', {}, 'My tickets'), body, h('p', {}, h('a', { href: '/help' }, 'Ask for help')));
}

function conversation(t: Ticket): HTMLElement {
  return h(
    'ol',
    { class: 'conversation', 'data-testid': 'ticket-articles' },
    ...t.articles.map((a) =>
      h(
        'li',
        { class: `article article-${a.from}`, 'data-from': a.from },
        h(
          'p',
          { class: 'muted small' },
          a.from === 'agent' ? 'Support team' : 'You',
          ' · ',
          when(a.createdAt),
          a.delivery === 'queued' ? ' · waiting to be sent' : '',
        ),
        h('p', { class: 'article-body' }, a.body),
      ),
    ),
  );
}

export async function ticketPage(ctx: PageContext): Promise<HTMLElement> {
  const id = ctx.params.id ?? '';
  const section = h('section', { class: 'card', 'data-testid': 'ticket' });
  const draw = (t: Ticket) => {
    const out = h('div', { 'aria-live': 'polite' });
    const mine = ctx.me?.sub === t.owner;
    const form = h(
      'form',
      { class: 'negotiation-form', 'data-testid': 'reply-form' },
      formField('reply', { name: 'body', label: 'Your reply', type: 'textarea', required: true }),
      h('button', { type: 'submit', class: 'primary' }, 'Send reply'),
    );
    onSubmit(
      form,
      out,
      async (v) => {
        await okJson(await ctx.client.api.v1.helpdesk.tickets[':id'].articles.$post({ param: { id }, json: { body: v.body ?? '' } }));
        draw(await okJson(await ctx.client.api.v1.helpdesk.tickets[':id'].$get({ param: { id } })));
        return h('span');
      },
      (err) => errorBox(err, 'The reply was not accepted'),
    );
    replace(
      section,
      h('h2', {}, t.title),
      h(
        'p',
        {},
        t.number ? `Ticket ${t.number} · ` : '',
        `${t.group} · status `,
        h('strong', { 'data-testid': 'ticket-status' }, statusLabel[t.status] ?? t.status),
      ),
      Object.keys(t.context).length
        ? h('dl', { class: 'small' }, ...Object.entries(t.context).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))
        : null,
      conversation(t),
      mine && t.status !== 'closed' ? form : null,
      out,
      h('p', {}, h('a', { href: '/helpdesk/tickets' }, 'All my tickets')),
    );
  };
  try {
    draw(await okJson(await ctx.client.api.v1.helpdesk.tickets[':id'].$get({ param: { id } })));
  } catch (err) {
    replace(section, errorBox(err, 'This ticket cannot be shown'));
  }
  return section;
}
