// The tool registry: every approved tool with its image digest, typed parameters, output policy and
// resources; node administrators switch each tool on or off for their nodes, platform admins approve
// new tools with the form below the list.
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { errorBox } from './error-box.ts';
import { gib } from './network-page.ts';
import { toolForm } from './tools-form.ts';

export type ToolRow = InferResponseType<HubClient['api']['v1']['tools']['$get'], 200>['tools'][number];

const describeParameter = (p: ToolRow['parameters'][number]) =>
  `${p.name} (${p.type}${p.type === 'enum' ? `: ${p.choices.join(', ')}` : ''}${'min' in p && p.min !== undefined ? `, ≥ ${p.min}` : ''}${'max' in p && p.max !== undefined ? `, ≤ ${p.max}` : ''}${p.required ? ', required' : ''})`;

function toolCard(ctx: PageContext, t: ToolRow, myNodes: string[], reload: () => Promise<void>): HTMLElement {
  const status = h('span', { class: 'muted', role: 'status' });
  const toggle = (nodeId: string) =>
    h(
      'label',
      { class: 'node-toggle' },
      h('input', {
        type: 'checkbox',
        'data-testid': `allow-${t.id}-${t.version}-${nodeId}`,
        checked: t.nodes.includes(nodeId),
        onchange: async (e: Event) => {
          const on = (e.target as HTMLInputElement).checked;
          const route = ctx.client.api.v1.nodes[':nodeId'].tools[':toolId'][':version'];
          const param = { nodeId, toolId: t.id, version: t.version };
          try {
            await okJson(await (on ? route.$put({ param }) : route.$delete({ param })));
            await reload();
          } catch (err) {
            replace(status, errorBox(err, `Could not change ${nodeId}`));
          }
        },
      }),
      ` allowed on ${nodeId}`,
    );
  return h(
    'article',
    { class: 'card tool', 'data-testid': `tool-${t.id}-${t.version}` },
    h('h3', {}, `${t.id} ${t.version}`),
    t.description ? h('p', {}, t.description) : null,
    t.docsUrl ? h('p', {}, h('a', { href: t.docsUrl, rel: 'noopener noreferrer', target: '_blank' }, 'Documentation')) : null,
    h(
      'dl',
      { class: 'metadata' },
      h('dt', {}, 'Image'),
      h('dd', {}, h('code', {}, t.image.digest), t.image.reference ? ` (${t.image.reference})` : ''),
      h('dt', {}, 'Parameters'),
      h('dd', {}, t.parameters.length ? t.parameters.map(describeParameter).join('; ') : 'none'),
      h('dt', {}, 'Inputs'),
      h('dd', {}, `${t.inputs.min} to ${t.inputs.max} datasets per node`),
      h('dt', {}, 'Outputs allowed'),
      h(
        'dd',
        {},
        t.outputs.allow.length ? t.outputs.allow.join(', ') : 'nothing',
        ` · ≤ ${t.outputs.maxFileBytes} bytes per file, ≤ ${t.outputs.maxTotalBytes} in all, ≤ ${t.outputs.maxFiles} files`,
      ),
      h('dt', {}, 'Resources'),
      h('dd', {}, `${t.flavour.cpus} CPU, ${gib(t.flavour.memoryBytes)} memory, ${t.flavour.gpus} GPU · timeout ${t.timeoutSeconds} s`),
      h('dt', {}, 'Allowed on'),
      h('dd', { 'data-testid': 'allowed-on' }, t.nodes.length ? t.nodes.join(', ') : 'no node yet'),
    ),
    myNodes.length ? h('div', {}, ...myNodes.map(toggle), status) : null,
  );
}

export async function toolsPage(ctx: PageContext): Promise<HTMLElement> {
  const list = h('div', { 'data-testid': 'tools' });
  const reload = async () => {
    try {
      const { tools, myNodes } = await okJson(await ctx.client.api.v1.tools.$get());
      replace(
        list,
        ...(tools.length ? tools.map((t) => toolCard(ctx, t, myNodes, reload)) : [h('p', { class: 'muted' }, 'No tools approved yet.')]),
      );
    } catch (err) {
      replace(list, errorBox(err, 'The tools could not be loaded'));
    }
  };
  await reload();
  const admin = ctx.me?.roles.includes('platform_admin');
  return h('div', {}, h('h2', {}, 'Federated tools'), list, admin ? toolForm(ctx.client, reload) : null);
}
