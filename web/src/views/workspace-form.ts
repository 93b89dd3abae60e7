// "New run": pick an approved tool, fill in only the parameters its typed schema declares, choose
// granted datasets and, for each, a node that can run the tool now (online, approved there, image
// ready — the seed's node selector). The hub checks everything again.
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import { toolReadyOn } from '../../../shared/processing/health.ts';
import { errorBox } from './error-box.ts';
import type { ToolRow } from './tools-page.ts';

type NodeRow = InferResponseType<HubClient['api']['v1']['nodes']['$get'], 200>['nodes'][number];
type Param = ToolRow['parameters'][number];

/** The nodes that can take a run of this tool now, by the hub's own rule (toolReadyOn). */
export function runnableNodes(tool: ToolRow, nodes: NodeRow[]): string[] {
  return nodes.filter((n) => n.online && tool.nodes.includes(n.id) && toolReadyOn(n.health?.report, tool)).map((n) => n.id);
}

function parameterInput(p: Param): HTMLElement {
  const attrs = { name: `param-${p.name}`, 'data-testid': `param-${p.name}`, required: p.required && p.type !== 'boolean' };
  if (p.type === 'boolean') return h('input', { ...attrs, type: 'checkbox', checked: p.default === true });
  if (p.type === 'enum')
    return h(
      'select',
      attrs,
      h('option', { value: '' }, '—'),
      ...p.choices.map((c) => h('option', { value: c, selected: c === p.default }, c)),
    );
  if (p.type === 'string') return h('input', { ...attrs, type: 'text', maxlength: String(p.maxLength), value: p.default });
  return h('input', {
    ...attrs,
    type: 'number',
    step: p.type === 'integer' ? '1' : 'any',
    min: p.min?.toString(),
    max: p.max?.toString(),
    value: p.default?.toString(),
  });
}

function readParameter(form: HTMLFormElement, p: Param): string | number | boolean | undefined {
  const el = form.elements.namedItem(`param-${p.name}`) as HTMLInputElement | HTMLSelectElement | null;
  if (!el) return undefined;
  if (p.type === 'boolean') return (el as HTMLInputElement).checked;
  if (el.value === '') return undefined;
  return p.type === 'integer' || p.type === 'number' ? Number(el.value) : el.value;
}

export async function newRunForm(client: HubClient, navigate: (to: string) => void): Promise<HTMLElement> {
  const [{ tools }, { nodes }, { datasets }] = await Promise.all([
    okJson(await client.api.v1.tools.$get()),
    okJson(await client.api.v1.nodes.$get()),
    okJson(await client.api.v1.runs.datasets.$get()),
  ]);
  const status = h('div', { role: 'status' });
  const params = h('fieldset', { 'data-testid': 'parameters' });
  const inputs = h('fieldset', { 'data-testid': 'inputs' });
  const toolSelect = h(
    'select',
    { name: 'tool', 'data-testid': 'run-tool' },
    ...tools.map((t, i) => h('option', { value: String(i) }, `${t.id} ${t.version}`)),
  );
  const current = () => tools[Number(toolSelect.value)];

  const draw = () => {
    const tool = current();
    if (!tool) return replace(params, h('p', { class: 'muted' }, 'No tools are approved yet.'));
    const eligible = runnableNodes(tool, nodes);
    replace(
      params,
      h('legend', {}, 'Parameters'),
      ...(tool.parameters.length
        ? tool.parameters.map((p) =>
            h(
              'label',
              { class: 'form-row' },
              h('span', {}, p.name, p.required ? ' *' : ''),
              parameterInput(p),
              p.description ? h('span', { class: 'hint muted' }, p.description) : null,
            ),
          )
        : [h('p', { class: 'muted' }, 'This tool takes no parameters.')]),
    );
    replace(
      inputs,
      h('legend', {}, 'Datasets (granted to you for processing)'),
      ...(datasets.length
        ? datasets.map((d) =>
            h(
              'div',
              { class: 'form-row', 'data-testid': `dataset-${d.datasetId}` },
              h(
                'label',
                {},
                h('input', { type: 'checkbox', name: 'dataset', value: d.datasetId, 'data-testid': `use-${d.datasetId}` }),
                ` ${d.title}`,
              ),
              h(
                'span',
                {},
                h(
                  'select',
                  { name: `node-${d.datasetId}`, 'data-testid': `node-${d.datasetId}`, 'aria-label': `Node for ${d.title}` },
                  ...eligible.map((n) => h('option', { value: n, selected: n === d.nodeId }, n)),
                ),
                h('input', {
                  type: 'text',
                  name: `path-${d.datasetId}`,
                  placeholder: 'subject/experiment (optional)',
                  'aria-label': `Path within ${d.title}`,
                }),
              ),
            ),
          )
        : [h('p', { class: 'muted' }, 'You hold no processing grant yet: request access to a dataset first.')]),
      eligible.length
        ? null
        : h(
            'p',
            { class: 'muted', 'data-testid': 'no-nodes' },
            'No node can run this tool now (offline, not approved there, or its image is not ready).',
          ),
    );
  };
  toolSelect.addEventListener('change', draw);
  draw();

  const form = h(
    'form',
    { class: 'card', 'data-testid': 'new-run' },
    h('h3', {}, 'New run'),
    h('label', { class: 'form-row' }, h('span', {}, 'Tool'), toolSelect),
    params,
    inputs,
    h('button', { type: 'submit', 'data-testid': 'run-submit' }, 'Start run'),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const tool = current();
    if (!tool) return;
    const data = new FormData(form);
    const parameters: Record<string, string | number | boolean> = {};
    for (const p of tool.parameters) {
      const value = readParameter(form, p);
      if (value !== undefined) parameters[p.name] = value;
    }
    const chosen = data.getAll('dataset').map(String);
    const uris = chosen.map((id) => {
      const path = String(data.get(`path-${id}`) ?? '')
        .trim()
        .replace(/^\/+|\/+$/g, '');
      return `${String(data.get(`node-${id}`) ?? '')}:${id}${path ? `/${path}` : ''}`;
    });
    void (async () => {
      try {
        const run = await okJson(
          await client.api.v1.runs.$post({ json: { tool: { id: tool.id, version: tool.version }, parameters, inputs: uris } }),
        );
        navigate(`/workspace/runs/${run.id}`);
      } catch (err) {
        replace(status, errorBox(err, 'The run was not started'));
      }
    })();
  });
  return form;
}
