// For platform admins: the application form as a JSON editor (checked in the browser with the same
// schema the hub uses, then stored by the hub as the next version; every problem is listed with its
// path) and the webhook endpoints that receive signed negotiation events.
import { issuesToDetails } from '../../../shared/errors.ts';
import { formDefinitionSchema } from '../../../shared/negotiation/form-definition.ts';
import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import { errorBox } from './error-box.ts';

async function formEditor(client: HubClient): Promise<HTMLElement> {
  const current = await okJson(await client.api.v1.negotiation['form-definition'].$get());
  const editor = h(
    'textarea',
    { id: 'form-json', rows: '24', class: 'json-editor', spellcheck: 'false', 'data-testid': 'form-json' },
    JSON.stringify(current, null, 2),
  );
  const out = h('div', { role: 'status', 'data-testid': 'form-editor-status' });
  const parsed = (): Record<string, unknown> | undefined => {
    try {
      const value = JSON.parse(editor.value) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
      replace(out, h('p', { class: 'field-error' }, 'The definition must be a JSON object.'));
    } catch (err) {
      replace(out, h('p', { class: 'field-error' }, `Not JSON: ${(err as Error).message}`));
    }
    return undefined;
  };
  const check = h('button', { type: 'button', 'data-testid': 'form-check' }, 'Check');
  check.addEventListener('click', () => {
    const value = parsed();
    if (!value) return;
    const result = formDefinitionSchema.safeParse({ ...value, version: current.version + 1 });
    replace(
      out,
      result.success
        ? h('p', {}, 'The definition is valid.')
        : h(
            'ul',
            { class: 'field-error' },
            ...issuesToDetails(result.error.issues).map((d) => h('li', {}, h('code', {}, d.path), ': ', d.message)),
          ),
    );
  });
  const save = h('button', { type: 'button', class: 'primary', 'data-testid': 'form-save' }, 'Save as a new version');
  save.addEventListener('click', async () => {
    const value = parsed();
    if (!value) return;
    try {
      const saved = await okJson(await client.api.v1.negotiation['form-definition'].$put({ json: value }));
      replace(
        out,
        h('p', { 'data-testid': 'form-saved' }, `Saved as version ${saved.version}. New requests use it; started ones keep theirs.`),
      );
    } catch (err) {
      replace(out, errorBox(err, 'The hub refused the definition'));
    }
  });
  return h(
    'section',
    { class: 'card', 'data-testid': 'form-editor' },
    h('h2', {}, `Application form (version ${current.version})`),
    h('p', { class: 'muted' }, 'Edit the definition as JSON. The hub numbers versions itself and keeps the form id.'),
    h('label', { for: editor.id }, 'Definition'),
    editor,
    h('p', { class: 'actions' }, check, ' ', save),
    out,
  );
}

async function webhooks(client: HubClient, reload: () => void): Promise<HTMLElement> {
  const { webhooks: hooks } = await okJson(await client.api.v1.negotiation.webhooks.$get());
  const url = h('input', { id: 'webhook-url', type: 'url', placeholder: 'https://example.org/hooks/eucaim' });
  const secret = h('input', { id: 'webhook-secret', type: 'password', minlength: '32', autocomplete: 'off' });
  const add = h('button', { type: 'button', class: 'primary' }, 'Add endpoint');
  const section = h('section', { class: 'card', 'data-testid': 'webhooks' });
  add.addEventListener('click', () =>
    client.api.v1.negotiation.webhooks
      .$post({ json: { url: url.value, secret: secret.value } })
      .then((res) => okJson(res))
      .then(reload, (err) => section.append(errorBox(err, 'Not added'))),
  );
  replace(
    section,
    h('h2', {}, 'Webhooks'),
    h(
      'p',
      { class: 'muted' },
      'Every negotiation event is posted as JSON, signed with HMAC-SHA256 over id.timestamp.payload; a delivery counts only when the receiver answers with its signed acknowledgement.',
    ),
    h(
      'ul',
      {},
      ...hooks.map((w) =>
        h(
          'li',
          {},
          `${w.url} · ${w.active ? 'active' : 'stopped'} · ${w.pending} pending · ${w.failed} failed `,
          w.active
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'small',
                  onclick: () =>
                    client.api.v1.negotiation.webhooks[':id']
                      .$delete({ param: { id: w.id } })
                      .then(okJson)
                      .then(reload),
                },
                'Stop',
              )
            : null,
        ),
      ),
    ),
    h(
      'div',
      { class: 'post-form' },
      h('label', { for: url.id }, 'URL'),
      url,
      h('label', { for: secret.id }, 'Shared secret (32+ characters)'),
      secret,
      add,
    ),
  );
  return section;
}

export async function negotiationAdminPage(client: HubClient, reload: () => void): Promise<HTMLElement> {
  return h('div', {}, await formEditor(client), await webhooks(client, reload));
}
