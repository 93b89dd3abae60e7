// The user's in-app notices (helpdesk replies now, negotiation steps later), newest first.
import { okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { refreshUnreadNotifications } from './header.ts';

export async function notificationsPage(ctx: PageContext): Promise<HTMLElement> {
  const { notifications } = await okJson(await ctx.client.api.v1.me.notifications.$get({ query: {} }));
  const list = h(
    'ul',
    { 'data-testid': 'notifications' },
    ...notifications.map((n) => {
      const item = h(
        'li',
        { 'data-testid': `notification-${n.id}`, 'data-read': String(n.read), class: n.read ? 'muted' : undefined },
        n.link ? h('a', { href: n.link }, n.title) : n.title,
        ' · ',
        new Date(n.createdAt).toLocaleString(),
      );
      if (!n.read) {
        const button = h('button', { type: 'button', class: 'link', 'data-testid': 'mark-read' }, 'Mark read');
        button.addEventListener('click', () => {
          void ctx.client.api.v1.me.notifications[':id'].read
            .$post({ param: { id: n.id } })
            .then(okJson)
            .then(() => {
              item.dataset.read = 'true';
              item.classList.add('muted');
              button.remove();
              refreshUnreadNotifications();
            });
        });
        item.append(' ', button);
      }
      return item;
    }),
  );
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Notifications'),
    notifications.length ? list : h('p', { class: 'muted', 'data-testid': 'no-notifications' }, 'Nothing new.'),
  );
}
