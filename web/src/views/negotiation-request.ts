// Where a catalogue's hand-over lands (the `redirectUrl` of POST /api/v3/requests): the selection,
// and one button that turns it into the researcher's own negotiation.
import { type HubClient, okJson } from '../api.ts';
import { append, h } from '../dom.ts';
import { errorBox } from './error-box.ts';

export async function negotiationRequestPage(client: HubClient, id: string, navigate: (to: string) => void): Promise<HTMLElement> {
  const request = await okJson(await client.api.v1['negotiation-requests'][':id'].$get({ param: { id } }));
  const root = h('section', { class: 'card', 'data-testid': 'negotiation-request' });
  const start = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'start-negotiation', disabled: request.started },
    'Start the application',
  );
  start.addEventListener('click', () => {
    start.disabled = true;
    client.api.v1.negotiations
      .$post({ json: { request: id } })
      .then((res) => okJson(res))
      .then((created) => navigate(`/negotiations/${created.id}`))
      .catch((err) => {
        start.disabled = false;
        root.append(errorBox(err, 'The request could not be started'));
      });
  });
  append(root, [
    h('h2', {}, 'Your selection'),
    request.humanReadable ? h('p', {}, request.humanReadable) : null,
    h('ul', {}, ...request.resources.map((r) => h('li', {}, h('a', { href: `/catalogue/datasets/${r.id}` }, r.id)))),
    request.started
      ? h('p', { class: 'muted' }, 'An application was already started from this selection: find it under your requests.')
      : null,
    start,
  ]);
  return root;
}
