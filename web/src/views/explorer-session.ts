import type { HubClient } from '../api.ts';
import { okJson } from '../api.ts';
import { h } from '../dom.ts';

/**
 * Where a Samply Lens explorer sends its user to log in (`/explorer-session?return=<explorer address>`):
 * after the web app's own OIDC login, opens the hub's explorer session (a cookie only the Spot routes
 * receive) and goes back. The hub checks the return address against the explorer origins it serves, so
 * this page cannot be used to send anyone elsewhere.
 */
export async function explorerSessionPage(client: HubClient, query: URLSearchParams): Promise<Node> {
  const returnTo = query.get('return') ?? undefined;
  const session = await okJson(await client.api.v1.spot.session.$post({ json: returnTo ? { returnTo } : {} }));
  const until = new Date(session.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (session.returnTo) {
    location.assign(session.returnTo);
    return h('p', { class: 'muted', role: 'status', 'data-testid': 'explorer-session' }, 'Logged in; back to the explorer…');
  }
  return h(
    'section',
    { class: 'card', 'data-testid': 'explorer-session' },
    h('h2', {}, 'Explorer session'),
    h('p', {}, `Explorers this hub serves can now search as you until ${until}, when your login ends.`),
  );
}
