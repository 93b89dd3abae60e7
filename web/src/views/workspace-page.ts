// "My Workspace": the researcher's runs with their state per node, and the form to start a new one.
import { type HubClient, okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { newRunForm } from './workspace-form.ts';

async function runsTable(client: HubClient): Promise<HTMLElement> {
  const { runs } = await okJson(await client.api.v1.runs.$get());
  if (runs.length === 0) return h('p', { class: 'muted', 'data-testid': 'no-runs' }, 'No runs yet.');
  return h(
    'table',
    { 'data-testid': 'runs' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'Run'), h('th', {}, 'Tool'), h('th', {}, 'State'), h('th', {}, 'Nodes'), h('th', {}, 'Started')),
    ),
    h(
      'tbody',
      {},
      ...runs.map((r) =>
        h(
          'tr',
          { 'data-testid': `run-${r.id}` },
          h('td', {}, h('a', { href: `/workspace/runs/${r.id}` }, r.id)),
          h('td', {}, `${r.tool.id} ${r.tool.version}`),
          h('td', { class: `run-state ${r.state}` }, r.state),
          h('td', {}, r.nodes.map((n) => `${n.nodeId}: ${n.state}`).join(', ')),
          h('td', {}, new Date(r.createdAt).toLocaleString()),
        ),
      ),
    ),
  );
}

export async function workspacePage(ctx: PageContext): Promise<HTMLElement> {
  const [runs, form] = await Promise.all([
    runsTable(ctx.client).catch((err) => errorBox(err, 'Your runs could not be loaded')),
    newRunForm(ctx.client, ctx.navigate).catch((err) => errorBox(err, 'The new-run form could not be loaded')),
  ]);
  return h('div', {}, h('section', { class: 'card' }, h('h2', {}, 'My runs'), runs), form);
}
