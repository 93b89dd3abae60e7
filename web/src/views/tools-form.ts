// The platform admin's form to approve a tool version. The typed parameter schema is entered as
// JSON (a list of `{ name, type, ... }`); the hub checks every field and names each fault.
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import { errorBox } from './error-box.ts';

const field = (label: string, name: string, attrs: Record<string, string> = {}) =>
  h('label', { class: 'form-row' }, h('span', {}, label), h('input', { type: 'text', name, 'data-testid': `tool-${name}`, ...attrs }));

export function toolForm(client: HubClient, onDone: () => Promise<void>): HTMLElement {
  const status = h('div', { role: 'status' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'tool-form' },
    h('h3', {}, 'Approve a tool'),
    field('Tool id', 'id', { required: 'true', placeholder: 'count-series' }),
    field('Version', 'version', { required: 'true' }),
    field('Image reference', 'reference', { placeholder: 'registry.example/tool:1.0' }),
    field('Image digest', 'digest', { required: 'true', placeholder: 'sha256:…' }),
    field('Description', 'description'),
    field('Documentation link', 'docsUrl', { placeholder: 'https://…' }),
    h(
      'label',
      { class: 'form-row' },
      h('span', {}, 'Parameters (JSON)'),
      h('textarea', { name: 'parameters', rows: '3', 'data-testid': 'tool-parameters' }, '[]'),
    ),
    field('Outputs allowed (globs, comma-separated)', 'allow', { placeholder: '*.json, plots/*.png' }),
    field('Max bytes per file', 'maxFileBytes', { value: '10485760' }),
    field('Max bytes in all', 'maxTotalBytes', { value: '104857600' }),
    field('CPUs', 'cpus', { value: '1' }),
    field('Memory (MiB)', 'memoryMiB', { value: '1024' }),
    field('GPUs', 'gpus', { value: '0' }),
    field('Timeout (s)', 'timeoutSeconds', { value: '3600' }),
    h('button', { type: 'submit', 'data-testid': 'tool-submit' }, 'Approve'),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (name: string) => String(new FormData(form).get(name) ?? '').trim();
    const optional = (name: string) => v(name) || undefined;
    void (async () => {
      try {
        let parameters: unknown;
        try {
          parameters = JSON.parse(v('parameters') || '[]');
        } catch {
          throw new Error('the parameters are not valid JSON');
        }
        const body = {
          id: v('id'),
          version: v('version'),
          image: { digest: v('digest'), reference: optional('reference') },
          description: optional('description'),
          docsUrl: optional('docsUrl'),
          parameters,
          inputs: {},
          outputs: {
            allow: v('allow')
              .split(',')
              .map((g) => g.trim())
              .filter(Boolean),
            maxFileBytes: Number(v('maxFileBytes')),
            maxTotalBytes: Number(v('maxTotalBytes')),
          },
          flavour: { cpus: Number(v('cpus')), memoryBytes: Number(v('memoryMiB')) * 1024 * 1024, gpus: Number(v('gpus')) },
          timeoutSeconds: Number(v('timeoutSeconds')),
        };
        // The hub validates the whole shape; the cast only lets the untyped JSON parameters through.
        await okJson(await client.api.v1.tools.$post({ json: body as Parameters<typeof client.api.v1.tools.$post>[0]['json'] }));
        replace(status, h('p', { 'data-testid': 'tool-approved' }, `Approved ${body.id} ${body.version}.`));
        form.reset();
        await onDone();
      } catch (err) {
        replace(status, errorBox(err, 'The tool was not approved'));
      }
    })();
  });
  return form;
}
