// The embedded mailer's outbox for admins: on the local demo, where mails to people "arrive".
import { okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';

export async function outboxPage(ctx: PageContext): Promise<HTMLElement> {
  const { mailer, messages } = await okJson(await ctx.client.api.v1.outbox.$get());
  const note =
    mailer === 'outbox'
      ? 'Mail is kept here instead of being sent (MAILER=outbox).'
      : 'This hub sends mail by SMTP; older outbox messages are shown below.';
  return h(
    'section',
    { class: 'card', 'data-testid': 'outbox' },
    h('h2', {}, 'Outbox'),
    h('p', { class: 'muted' }, note),
    messages.length
      ? h(
          'ol',
          { class: 'conversation' },
          ...messages.map((m) =>
            h(
              'li',
              { class: 'article' },
              h('p', { class: 'muted small' }, `To ${m.to} · ${new Date(m.createdAt).toLocaleString()}`),
              h('p', {}, h('strong', {}, m.subject)),
              h('p', { class: 'article-body' }, m.text),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No messages.'),
  );
}
