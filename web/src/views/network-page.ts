// The "EUCAIM network" page (seed, figure 4-40): every node with its status and the latest health
// report its bridge sent — resources, installation, tool readiness, certificate — and a Refresh.
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';

type NodeRow = InferResponseType<HubClient['api']['v1']['nodes']['$get'], 200>['nodes'][number];
type Health = NonNullable<NodeRow['health']>['report'];

export const gib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 1024 ** 3).toFixed(2)} GB`);
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');
const item = (label: string, value: string | number, testid?: string) =>
  h('li', testid ? { 'data-testid': testid } : {}, h('span', { class: 'muted' }, `${label}: `), String(value));
const yesNo = (ok: boolean | undefined, yes: string, no: string) => (ok === undefined ? '–' : ok ? yes : no);

function resources(r: Health): HTMLElement {
  return h(
    'ul',
    { class: 'plain' },
    item('CPU count', r.cpu.count, 'cpu-count'),
    item('CPU load (1/5/15 min)', `${r.cpu.load1.toFixed(2)} / ${r.cpu.load5.toFixed(2)} / ${r.cpu.load15.toFixed(2)}`),
    item('Memory available', gib(r.memory.availableBytes), 'memory-available'),
    item('Memory total', gib(r.memory.totalBytes)),
    item('GPU count', r.gpus.count, 'gpu-count'),
    ...r.gpus.devices.map((d) => item('GPU', `${d.model}${d.memoryBytes ? ` (${gib(d.memoryBytes)})` : ''}`)),
    r.gpus.error ? item('GPU check', r.gpus.error) : null,
  );
}

function installation(r: Health): HTMLElement {
  const path = (name: string, p: Health['paths']['data']) =>
    item(
      `${name} path`,
      p.exists
        ? [
            name === 'Data' ? yesNo(p.readOnly, 'read-only', 'WRITABLE') : yesNo(p.writable, 'writable', 'not writable'),
            p.freeBytes !== undefined ? `${gib(p.freeBytes)} free` : '',
          ]
            .filter(Boolean)
            .join(', ')
        : `missing${p.error ? ` (${p.error})` : ''}`,
      `path-${name.toLowerCase()}`,
    );
  const tls = r.tls.https
    ? r.tls.checked
      ? `${r.tls.daysLeft ?? '?'} days left${r.tls.authorized === false ? ' (NOT trusted)' : ''}`
      : (r.tls.error ?? 'not checked')
    : 'plain http: no certificate';
  return h(
    'ul',
    { class: 'plain' },
    item(
      'Container engine',
      r.engine.reachable
        ? `${r.engine.name ?? 'engine'} ${r.engine.version ?? ''}`.trim()
        : `unreachable${r.engine.error ? ` (${r.engine.error})` : ''}`,
      'engine',
    ),
    path('Data', r.paths.data),
    path('Sandbox', r.paths.sandbox),
    item('TLS certificate', tls, 'tls'),
    item('Clock skew', r.hub.clockSkewSeconds === undefined ? '–' : `${r.hub.clockSkewSeconds} s`, 'clock-skew'),
    item('Bridge version', r.version, 'bridge-version'),
    h(
      'li',
      { 'data-testid': 'tools' },
      h('span', { class: 'muted' }, 'Tools: '),
      r.tools.length
        ? r.tools.map((t) => `${t.toolId} ${t.ready ? 'ready' : `not ready (${t.problem ?? 'image missing'})`}`).join('; ')
        : 'none approved',
    ),
  );
}

function row(n: NodeRow): HTMLElement {
  const r = n.health?.report;
  return h(
    'tr',
    { 'data-testid': `node-${n.id}`, 'data-online': String(n.online) },
    h('td', {}, n.id),
    h('td', {}, n.name),
    h(
      'td',
      {},
      h('strong', { class: n.online ? 'online' : 'offline', 'data-testid': 'status' }, n.online ? 'Online' : 'Offline'),
      h('div', { class: 'muted' }, `Last checked: ${when(n.health?.receivedAt ?? n.lastSeenAt)}`),
      n.version ? h('div', { class: 'muted', 'data-testid': 'node-version' }, `Bridge ${n.version} (protocol ${n.protocol ?? 1})`) : null,
      n.update.due ? h('div', { class: 'warning', 'data-testid': 'update-due' }, `Update due: ${n.update.message ?? ''}`) : null,
      r?.hub.responseMs !== undefined
        ? h('div', { class: 'muted', 'data-testid': 'response-time' }, `Last response time: ${r.hub.responseMs.toFixed(2)} ms`)
        : null,
    ),
    h('td', {}, r ? resources(r) : h('span', { class: 'muted' }, 'no report')),
    h('td', {}, r ? installation(r) : h('span', { class: 'muted' }, 'no report')),
  );
}

export async function networkPage(ctx: PageContext): Promise<HTMLElement> {
  const body = h('div', { 'data-testid': 'network' });
  const stamp = h('span', { class: 'muted', 'data-testid': 'network-loaded' });
  const load = async () => {
    try {
      const { nodes } = await okJson(await ctx.client.api.v1.nodes.$get());
      replace(
        body,
        h(
          'table',
          { class: 'network' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Site Id'),
              h('th', {}, 'Full Name'),
              h('th', {}, 'Status'),
              h('th', {}, 'Resources Check'),
              h('th', {}, 'Installation Check'),
            ),
          ),
          h('tbody', {}, ...nodes.map(row)),
        ),
        h(
          'p',
          { class: 'muted' },
          `Showing ${nodes.length} ${nodes.length === 1 ? 'site' : 'sites'}; bridges report every 30 s and count as offline after 90 s of silence.`,
        ),
      );
      stamp.textContent = ` Loaded ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      replace(body, errorBox(err, 'The network could not be loaded'));
    }
  };
  await load();
  const refresh = h('button', { type: 'button', 'data-testid': 'network-refresh', onclick: () => void load() }, 'Refresh');
  return h('section', { class: 'card' }, h('h2', {}, 'EUCAIM sites. Status and available resources'), h('p', {}, refresh, stamp), body);
}
