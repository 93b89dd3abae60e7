// Attachments through a real hub and the embedded object store: typed by content (magic numbers)
// agreeing with the declared type and extension (415), size-limited while streaming (413), written
// only by the author while the request can change, read by its representatives and admins, and
// referenced from the form's attachment elements.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAnswers } from '../../shared/negotiation/sample-answers.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { draftWithAnswers, type ErrorBody, fire, seedDatasets } from './negotiation-support.ts';

// Above the API's general 1 MiB body limit, which attachments are exempt from.
const LIMIT = 2 * 1024 * 1024;
const pdf = (size = 200) => {
  const bytes = new Uint8Array(size).fill(0x41);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  return bytes;
};
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe(`negotiation attachments (${databaseKind()})`, () => {
  let hub: TestHub;
  let A: string;
  beforeAll(async () => {
    hub = await startTestHub({ env: { NEGOTIATION_ATTACHMENT_MAX_BYTES: String(LIMIT) } });
    ({ A } = await seedDatasets(hub));
  });
  afterAll(async () => hub?.stop());

  const upload = async (who: string, id: string, name: string, type: string, body: BodyInit) => {
    const client = await hub.client(who);
    const res = await client.api.v1.negotiations[':id'].attachments.$post(
      { param: { id }, query: { name } },
      { headers: { 'content-type': type }, init: { body, duplex: 'half' } as RequestInit },
    );
    return { status: res.status, body: (await res.json()) as unknown as { id: string; size: number } & ErrorBody };
  };
  const stored = async (id: string) => hub.services.objectStore.list(`negotiations/${id}/`);

  it('stores a PDF the author attaches and serves it, as a download, to representatives and admins only', async () => {
    const id = await draftWithAnswers(hub, [A]);
    const bytes = pdf();
    const up = await upload('researcher', id, 'ethics approval.pdf', 'application/pdf', bytes);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.size).toBe(bytes.length);
    for (const who of ['researcher', 'representative', 'admin']) {
      const res = await (await hub.client(who)).api.v1.negotiations[':id'].attachments[':attachmentId'].$get({
        param: { id, attachmentId: up.body.id },
      });
      expect(res.status, who).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''ethics%20approval.pdf");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    }
    for (const who of ['dataholder', 'outsider']) {
      const res = await (await hub.client(who)).api.v1.negotiations[':id'].attachments[':attachmentId'].$get({
        param: { id, attachmentId: up.body.id },
      });
      expect(res.status, who).toBe(404);
    }
    const list = await (await (await hub.client('representative')).api.v1.negotiations[':id'].attachments.$get({ param: { id } })).json();
    expect(list.attachments.map((a) => a.name)).toEqual(['ethics approval.pdf']);
  });

  it.each([
    ['PNG bytes declared as a PDF', 'scan.pdf', 'application/pdf', PNG],
    ['a PDF with another extension', 'ethics.exe', 'application/pdf', pdf()],
    ['an HTML page', 'page.html', 'text/html', new TextEncoder().encode('<script>alert(1)</script>')],
    ['binary declared as text', 'notes.txt', 'text/plain', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0])],
  ])('refuses %s with 415 and stores nothing', async (_what, name, type, bytes) => {
    const id = await draftWithAnswers(hub, [A]);
    const res = await upload('researcher', id, name, type, bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(await stored(id)).toEqual([]);
  });

  it('refuses a file over the limit with 413, by its length and while streaming one without a length', async () => {
    const id = await draftWithAnswers(hub, [A]);
    // node:http without connection reuse, so the answer is read even while the body is still being
    // written, and the connection the hub closes early is never handed to another test's request.
    const token = await hub.token('researcher');
    const raw = (name: string, total: number, withLength: boolean) =>
      new Promise<number>((resolve, reject) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' };
        if (withLength) headers['content-length'] = String(total);
        const req = request(`${hub.url}/api/v1/negotiations/${id}/attachments?name=${name}`, { method: 'POST', headers, agent: false });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (err) => (answered ? undefined : reject(err)));
        const chunk = 64 * 1024;
        const write = (sent: number) => {
          if (answered || sent >= total) return req.end();
          const size = Math.min(chunk, total - sent);
          req.write(sent === 0 ? pdf(size) : new Uint8Array(size), () => write(sent + size));
        };
        write(0);
      });
    expect(await raw('big.pdf', LIMIT + 1, true)).toBe(413);
    expect((await upload('researcher', id, 'exact.pdf', 'application/pdf', pdf(LIMIT))).status).toBe(201);
    // A chunked body has no Content-Length: the count while streaming must stop it.
    const streamed = await raw('stream.pdf', 3 * LIMIT, false);
    expect(streamed).toBe(413);
    expect(await stored(id)).toHaveLength(1);
  });

  it('lets only the author attach, and only while the request can change (403, 409)', async () => {
    const id = await draftWithAnswers(hub, [A]);
    expect((await upload('representative', id, 'cv.pdf', 'application/pdf', pdf())).status).toBe(403);
    expect((await upload('outsider', id, 'cv.pdf', 'application/pdf', pdf())).status).toBe(404);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
    expect((await upload('researcher', id, 'late.pdf', 'application/pdf', pdf())).status).toBe(409);
  });

  it('checks that attachment answers name an attachment of this request of an accepted type', async () => {
    const id = await draftWithAnswers(hub, [A]);
    const client = await hub.client('researcher');
    const save = (ethics_certificate: string) =>
      client.api.v1.negotiations[':id'].answers.$put({ param: { id }, json: { answers: sampleAnswers({ ethics_certificate }) } });
    const png = await upload('researcher', id, 'scan.png', 'image/png', PNG);
    expect(png.status).toBe(201);
    expect((await save(png.body.id)).status).toBe(200);
    let submit = await fire(hub, 'researcher', id, 'submit');
    expect(submit.status).toBe(422);
    expect((submit.body as ErrorBody).error.details).toContainEqual({
      path: 'ethics_legal.ethics_certificate',
      message: 'must be one of application/pdf',
    });
    const other = await draftWithAnswers(hub, [A]);
    const foreign = await upload('researcher', other, 'other.pdf', 'application/pdf', pdf());
    expect((await save(foreign.body.id)).status).toBe(200);
    submit = await fire(hub, 'researcher', id, 'submit');
    expect((submit.body as ErrorBody).error.details).toContainEqual({
      path: 'ethics_legal.ethics_certificate',
      message: 'no such attachment on this request',
    });
    const own = await upload('researcher', id, 'ethics.pdf', 'application/pdf', pdf());
    expect((await save(own.body.id)).status).toBe(200);
    expect((await fire(hub, 'researcher', id, 'submit')).status).toBe(200);
  });

  it('deletes an attachment of a draft, bytes included', async () => {
    const id = await draftWithAnswers(hub, [A]);
    const up = await upload('researcher', id, 'cv.txt', 'text/plain', new TextEncoder().encode('Curriculum vitae\n'));
    expect(up.status).toBe(201);
    expect(
      (
        await (
          await hub.client('representative')
        ).api.v1.negotiations[':id'].attachments[':attachmentId'].$delete({ param: { id, attachmentId: up.body.id } })
      ).status,
    ).toBe(403);
    const res = await (await hub.client('researcher')).api.v1.negotiations[':id'].attachments[':attachmentId'].$delete({
      param: { id, attachmentId: up.body.id },
    });
    expect(res.status).toBe(200);
    expect(await stored(id)).toEqual([]);
  });
});
