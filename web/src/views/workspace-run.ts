// One run in the workspace: its state and each node's part (state, reason, log shown and
// downloadable, outputs downloadable), the parameters it ran with, and Cancel while it runs.
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h, replace, saveAs } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { fetchLog, fetchOutput } from './processing-download.ts';

type RunView = InferResponseType<HubClient['api']['v1']['runs'][':id']['$get'], 200>;
type Part = RunView['nodes'][number];
const ACTIVE = ['pending', 'running', 'cancelling'];
const POLL_MS = 3000;

function partView(client: HubClient, run: RunView, part: Part, status: HTMLElement): HTMLElement {
  const act = (label: string, testid: string, fn: () => Promise<void>) =>
    h(
      'button',
      { type: 'button', 'data-testid': testid, onclick: () => void fn().catch((err) => replace(status, errorBox(err, label))) },
      label,
    );
  const logBox = h('pre', { class: 'log', 'data-testid': `log-${part.nodeId}`, hidden: true });
  return h(
    'section',
    { class: 'card run-part', 'data-testid': `part-${part.nodeId}`, 'data-state': part.state },
    h('h3', {}, part.nodeId, ' · ', h('span', { class: `run-state ${part.state}`, 'data-testid': 'part-state' }, part.state)),
    part.reason ? h('p', { 'data-testid': 'part-reason' }, `${part.reason.code}: ${part.reason.message}`) : null,
    h(
      'p',
      { class: 'muted' },
      `Datasets: ${part.datasets.join(', ')}`,
      part.startedAt ? ` · started ${new Date(part.startedAt).toLocaleString()}` : '',
      part.endedAt ? ` · ended ${new Date(part.endedAt).toLocaleString()}` : '',
      part.exitCode !== null ? ` · exit code ${part.exitCode}` : '',
    ),
    part.log
      ? h(
          'p',
          {},
          `Log ${part.log}: `,
          act('Show log', `show-log-${part.nodeId}`, async () => {
            logBox.textContent = await (await fetchLog(client, run.id, part.nodeId)).text();
            logBox.hidden = false;
          }),
          ' ',
          act('Download log', `download-log-${part.nodeId}`, async () =>
            saveAs(await fetchLog(client, run.id, part.nodeId, true), part.log ?? 'run.log'),
          ),
        )
      : h('p', { class: 'muted' }, 'No log received yet.'),
    logBox,
    part.outputs.length
      ? h(
          'ul',
          { 'data-testid': `outputs-${part.nodeId}` },
          ...part.outputs.map((o) =>
            h(
              'li',
              {},
              `${o.path} (${o.bytes} bytes) `,
              act('Download', `download-${part.nodeId}-${o.path}`, async () =>
                saveAs(await fetchOutput(client, run.id, part.nodeId, o.path), o.path.split('/').pop() ?? 'output'),
              ),
            ),
          ),
        )
      : null,
    part.rejected.length
      ? h('p', { class: 'muted' }, `Not brought back (policy): ${part.rejected.map((r) => `${r.path} (${r.reason})`).join(', ')}`)
      : null,
  );
}

function runBody(client: HubClient, run: RunView, reload: () => Promise<void>): HTMLElement[] {
  const status = h('div', { role: 'status' });
  const cancel = async () => {
    await okJson(await client.api.v1.runs[':id'].cancel.$post({ param: { id: run.id } }));
    await reload();
  };
  return [
    h(
      'section',
      { class: 'card' },
      h('h2', {}, `Run ${run.id}`),
      h(
        'p',
        {},
        `${run.tool.id} ${run.tool.version} · `,
        h('strong', { 'data-testid': 'run-state', 'data-state': run.state }, run.state),
        ` · started ${new Date(run.createdAt).toLocaleString()}`,
      ),
      h('h3', {}, 'Parameters'),
      Object.keys(run.parameters).length
        ? h(
            'table',
            { 'data-testid': 'run-parameters' },
            h('tbody', {}, ...Object.entries(run.parameters).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, String(v))))),
          )
        : h('p', { class: 'muted' }, 'none'),
      h('p', { class: 'muted' }, `Inputs: ${run.inputs.join(', ')}`),
      h(
        'p',
        {},
        h('button', { type: 'button', 'data-testid': 'run-refresh', onclick: () => void reload() }, 'Refresh'),
        ' ',
        ACTIVE.includes(run.state)
          ? h(
              'button',
              {
                type: 'button',
                'data-testid': 'run-cancel',
                onclick: () => void cancel().catch((err) => replace(status, errorBox(err, 'Cancel'))),
              },
              'Cancel run',
            )
          : null,
      ),
      status,
    ),
    ...run.nodes.map((p) => partView(client, run, p, status)),
  ];
}

export async function workspaceRunPage(ctx: PageContext): Promise<HTMLElement> {
  const id = ctx.params.id ?? '';
  const root = h('div', { 'data-testid': 'run' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reload = async () => {
    clearTimeout(timer);
    try {
      const run = await okJson(await ctx.client.api.v1.runs[':id'].$get({ param: { id } }));
      replace(root, ...runBody(ctx.client, run, reload));
      // Poll while the run is active and this page is still shown (the seed's workspace polls too).
      if (ACTIVE.includes(run.state)) timer = setTimeout(() => root.isConnected && void reload(), POLL_MS);
    } catch (err) {
      replace(root, errorBox(err, 'The run could not be loaded'));
    }
  };
  await reload();
  return root;
}
