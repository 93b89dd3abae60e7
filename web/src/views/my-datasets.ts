// "My datasets": the access grants the caller holds, each with its conditions, expiry and the signed
// statement (EdDSA JWS) to copy into a processing request or show a node, which verifies it offline.
import { type HubClient, okJson } from '../api.ts';
import { h } from '../dom.ts';

export async function myDatasetsPage(client: HubClient): Promise<HTMLElement> {
  const { grants } = await okJson(await client.api.v1.grants.$get());
  const now = Date.now();
  const status = (g: (typeof grants)[number]) => (g.revoked ? 'revoked' : Date.parse(g.expiresAt) < now ? 'expired' : 'active');
  return h(
    'section',
    { class: 'card', 'data-testid': 'my-datasets' },
    h('h2', {}, 'My datasets'),
    h(
      'p',
      { class: 'muted' },
      'Datasets you were granted access to. Nodes check the signed statement before they process the data for you; a revoked or expired grant is refused.',
    ),
    grants.length
      ? h(
          'ul',
          { class: 'grants' },
          ...grants.map((g) => {
            const statement = h(
              'textarea',
              { readonly: true, rows: '3', id: `jws-${g.id}`, 'data-testid': 'grant-jws', class: 'jws' },
              g.jws,
            );
            const copy = h('button', { type: 'button', class: 'small', 'data-testid': 'grant-copy' }, 'Copy');
            copy.addEventListener('click', () => {
              statement.select();
              navigator.clipboard?.writeText(g.jws).then(
                () => (copy.textContent = 'Copied'),
                () => (copy.textContent = 'Select and copy'),
              );
            });
            return h(
              'li',
              { 'data-testid': `my-grant-${g.datasetId}`, 'data-status': status(g) },
              h('h3', {}, h('a', { href: `/catalogue/datasets/${g.datasetId}` }, g.datasetTitle)),
              h(
                'dl',
                {},
                h('dt', {}, 'Access'),
                h('dd', { 'data-testid': 'grant-access' }, g.access),
                h('dt', {}, 'Conditions'),
                h('dd', { 'data-testid': 'grant-conditions' }, g.conditions || '—'),
                h('dt', {}, 'Valid until'),
                h('dd', {}, `${g.expiresAt.slice(0, 10)} (${status(g)})`),
                h('dt', {}, 'Request'),
                h('dd', {}, h('a', { href: `/negotiations/${g.negotiationId}` }, g.negotiationId)),
              ),
              h('label', { for: statement.id }, 'Signed statement'),
              statement,
              copy,
            );
          }),
        )
      : h(
          'p',
          { class: 'muted', 'data-testid': 'no-grants' },
          'No grants yet: they appear here when a representative makes a requested dataset available.',
        ),
  );
}
