// The parts of a negotiation's page around the form: messages (public, or private to one dataset's
// representatives), attachments (uploaded by the author while the request can change, downloaded by
// everyone who may read it) and the timeline of every event, post and attachment. The hub decides
// who sees what; these views only show what it answers.
import { type HubClient, type Me, okJson } from '../api.ts';
import { h, replace, saveAs } from '../dom.ts';
import { errorBox } from './error-box.ts';

type Client = HubClient;
interface Ctx {
  client: Client;
  me: Me;
  id: string;
  author: string;
  datasets: { id: string }[];
  reload(): void;
}

/** The threads this viewer may write in: public, and each dataset's private thread they belong to. */
function threads(ctx: Ctx): { value: string; label: string }[] {
  const admin = ctx.me.roles.includes('platform_admin');
  const mine = ctx.datasets.filter((d) => ctx.me.sub === ctx.author || admin || ctx.me.representedDatasets.includes(d.id));
  return [{ value: '', label: 'Everyone on this request' }, ...mine.map((d) => ({ value: d.id, label: `Private: dataset ${d.id}` }))];
}

export async function postsSection(ctx: Ctx): Promise<HTMLElement> {
  const { posts } = await okJson(await ctx.client.api.v1.negotiations[':id'].posts.$get({ param: { id: ctx.id } }));
  const thread = h(
    'select',
    { id: 'post-thread', 'data-testid': 'post-thread' },
    ...threads(ctx).map((t) => h('option', { value: t.value }, t.label)),
  );
  const text = h('textarea', { id: 'post-body', rows: '3', 'data-testid': 'post-body' });
  const send = h('button', { type: 'button', class: 'primary', 'data-testid': 'post-send' }, 'Send');
  const section = h('section', { class: 'card', 'data-testid': 'posts' });
  send.addEventListener('click', () => {
    send.disabled = true;
    ctx.client.api.v1.negotiations[':id'].posts
      .$post({ param: { id: ctx.id }, json: { body: text.value, ...(thread.value ? { datasetId: thread.value } : {}) } })
      .then((res) => okJson(res))
      .then(() => ctx.reload())
      .catch((err) => {
        send.disabled = false;
        section.append(errorBox(err, 'The message was not sent'));
      });
  });
  replace(
    section,
    h('h2', {}, 'Messages'),
    posts.length
      ? h(
          'ul',
          { class: 'posts' },
          ...posts.map((p) =>
            h(
              'li',
              { 'data-testid': `post-${p.id}`, 'data-thread': p.datasetId ?? 'public' },
              h(
                'p',
                { class: 'muted' },
                `${p.author} (${p.role}) · ${new Date(p.createdAt).toLocaleString()}${p.datasetId ? ` · private, dataset ${p.datasetId}` : ''}`,
              ),
              h('p', { class: 'post-body' }, p.body),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No messages yet.'),
    h('div', { class: 'post-form' }, h('label', { for: thread.id }, 'To'), thread, h('label', { for: text.id }, 'Message'), text, send),
  );
  return section;
}

/** Downloads through the typed client (the token is a header, so a plain link cannot carry it). */
async function download(ctx: Ctx, attachmentId: string, name: string): Promise<void> {
  const res = await ctx.client.api.v1.negotiations[':id'].attachments[':attachmentId'].$get({ param: { id: ctx.id, attachmentId } });
  if (!res.ok) await okJson(res);
  await saveAs(res, name);
}

export async function attachmentsSection(
  ctx: Ctx & { editable: boolean },
): Promise<{ section: HTMLElement; attachments: { id: string; name: string; contentType: string }[] }> {
  const { attachments } = await okJson(await ctx.client.api.v1.negotiations[':id'].attachments.$get({ param: { id: ctx.id } }));
  const section = h('section', { class: 'card', 'data-testid': 'attachments' }, h('h2', {}, 'Attachments'));
  const fail = (what: string) => (err: unknown) => section.append(errorBox(err, what));
  section.append(
    attachments.length
      ? h(
          'ul',
          {},
          ...attachments.map((a) =>
            h(
              'li',
              { 'data-testid': `attachment-${a.id}` },
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => download(ctx, a.id, a.name).catch(fail('The download failed')) },
                a.name,
              ),
              h('span', { class: 'muted' }, ` ${a.contentType}, ${a.size.toLocaleString('en')} bytes`),
              ctx.editable && ctx.me.sub === ctx.author
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'small',
                      onclick: () =>
                        ctx.client.api.v1.negotiations[':id'].attachments[':attachmentId']
                          .$delete({ param: { id: ctx.id, attachmentId: a.id } })
                          .then(okJson)
                          .then(ctx.reload, fail('Not removed')),
                    },
                    'Remove',
                  )
                : null,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No files attached.'),
  );
  if (ctx.editable && ctx.me.sub === ctx.author) {
    const input = h('input', {
      type: 'file',
      id: 'attachment-file',
      'data-testid': 'attachment-file',
      accept: '.pdf,.png,.jpg,.jpeg,.odt,.docx,.txt',
    });
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return;
      ctx.client.api.v1.negotiations[':id'].attachments
        .$post(
          { param: { id: ctx.id }, query: { name: file.name } },
          { headers: { 'content-type': file.type || 'application/octet-stream' }, init: { body: file } },
        )
        .then((res) => okJson(res))
        .then(ctx.reload, fail('The file was refused'));
    });
    section.append(h('p', {}, h('label', { for: input.id }, 'Attach a file (PDF, PNG, JPEG, ODT, DOCX or plain text) '), input));
  }
  return { section, attachments };
}

export async function timelineSection(ctx: Ctx): Promise<HTMLElement> {
  const { entries } = await okJson(await ctx.client.api.v1.negotiations[':id'].timeline.$get({ param: { id: ctx.id } }));
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Timeline'),
    h(
      'ol',
      { 'data-testid': 'timeline' },
      ...entries.map((t) =>
        h(
          'li',
          { 'data-kind': t.kind },
          `${new Date(t.at).toLocaleString()} · ${t.who} (${t.role}) · ${t.kind === 'post' ? 'wrote' : ''} ${t.text}${t.datasetId ? ` [${t.datasetId}]` : ''}`,
        ),
      ),
    ),
  );
}
