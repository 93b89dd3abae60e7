// Attachments of a negotiation (ethics approval, CVs): streamed into the object store, never held
// whole in memory. The first bytes are sniffed and must agree with the declared type and the file
// name (415 otherwise); the byte count is watched while streaming and the upload is abandoned past
// NEGOTIATION_ATTACHMENT_MAX_BYTES (413), so a lying Content-Length cannot get more through.
import { and, asc, eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { idPattern, newId } from '../../shared/ids.ts';
import { attachmentMismatch, attachmentTypes, mediaTypeOf, SNIFF_BYTES } from '../../shared/negotiation/file-type.ts';
import type { FormDefinition } from '../../shared/negotiation/form-definition.ts';
import type { FormAnswers } from '../../shared/negotiation/form-answers.ts';
import type { Database } from '../db/client.ts';
import type { Services } from '../services.ts';
import { negotiationAttachments } from './conversation.sql.ts';

class TooLarge extends Error {}

/** The upload route, exempt from the API's 1 MiB body limit because it enforces its own while streaming. */
export function isAttachmentUpload(method: string, path: string): boolean {
  const id = /^\/api\/v1\/negotiations\/([^/]+)\/attachments$/.exec(path)?.[1];
  return method === 'POST' && id !== undefined && idPattern('neg').test(id);
}

/** Reads until `SNIFF_BYTES` are in hand (or the stream ends) and hands back the rest still streaming. */
async function splitHead(body: ReadableStream<Uint8Array>): Promise<{ head: Uint8Array; rest: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
  }
  const head = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    head.set(p, at);
    at += p.length;
  }
  return { head, rest: reader };
}

/** The head, then the rest of the reader, erroring with TooLarge once more than `max` bytes went through. */
function limited(head: Uint8Array, rest: ReadableStreamDefaultReader<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let seen = head.length;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        if (seen > max) return controller.error(new TooLarge());
        if (head.length > 0) return controller.enqueue(head);
      }
      const { done, value } = await rest.read();
      if (done) return controller.close();
      seen += value.length;
      if (seen > max) {
        await rest.cancel().catch(() => {});
        return controller.error(new TooLarge());
      }
      controller.enqueue(value);
    },
    cancel: (reason) => rest.cancel(reason),
  });
}

export async function storeAttachment(
  s: Services,
  upload: {
    negotiationId: string;
    name: string;
    contentType: string;
    declaredLength?: number;
    body: ReadableStream<Uint8Array> | null;
    by: string;
  },
) {
  const max = s.config.NEGOTIATION_ATTACHMENT_MAX_BYTES;
  if (upload.declaredLength !== undefined && upload.declaredLength > max)
    throw new AppError('payload_too_large', `attachments are at most ${max} bytes`, { maxBytes: max });
  if (!upload.body) throw new AppError('bad_request', 'the request has no body');
  const { head, rest } = await splitHead(upload.body);
  const mismatch = attachmentMismatch(upload.contentType, upload.name, head);
  if (mismatch) {
    await rest.cancel().catch(() => {});
    throw new AppError('unsupported_media_type', mismatch, { accepted: Object.keys(attachmentTypes).join(', ') });
  }
  const now = s.clock.now();
  const id = newId('att', now.getTime());
  const key = `negotiations/${upload.negotiationId}/${id}`;
  const contentType = mediaTypeOf(upload.contentType);
  let size: number;
  try {
    ({ size } = await s.objectStore.put(key, limited(head, rest, max), { contentType }));
  } catch (err) {
    await s.objectStore.delete(key).catch(() => {});
    if (err instanceof TooLarge || (err as Error)?.cause instanceof TooLarge)
      throw new AppError('payload_too_large', `attachments are at most ${max} bytes`, { maxBytes: max });
    throw err;
  }
  const row = { id, negotiationId: upload.negotiationId, name: upload.name, contentType, size, key, uploadedBy: upload.by, createdAt: now };
  await s.db.insert(negotiationAttachments).values(row);
  return attachmentView(row);
}

export const attachmentView = (a: typeof negotiationAttachments.$inferSelect) => ({
  id: a.id,
  name: a.name,
  contentType: a.contentType,
  size: a.size,
  uploadedBy: a.uploadedBy,
  createdAt: a.createdAt.toISOString(),
});

export async function listAttachments(db: Pick<Database, 'select'>, negotiationId: string) {
  return db
    .select()
    .from(negotiationAttachments)
    .where(eq(negotiationAttachments.negotiationId, negotiationId))
    .orderBy(asc(negotiationAttachments.id));
}

export async function findAttachment(db: Database, negotiationId: string, id: string) {
  const [row] = await db
    .select()
    .from(negotiationAttachments)
    .where(and(eq(negotiationAttachments.negotiationId, negotiationId), eq(negotiationAttachments.id, id)));
  if (!row) throw new AppError('not_found', 'no such attachment');
  return row;
}

/** Attachment answers must name an attachment of this negotiation of a type the element accepts. */
export async function attachmentProblems(db: Pick<Database, 'select'>, form: FormDefinition, negotiationId: string, answers: FormAnswers) {
  const mine = new Map((await listAttachments(db, negotiationId)).map((a) => [a.id, a]));
  const problems: { path: string; message: string }[] = [];
  for (const section of form.sections)
    for (const el of section.elements) {
      const v = answers[el.id];
      if (el.type !== 'attachment' || typeof v !== 'string') continue;
      const att = mine.get(v);
      if (!att) problems.push({ path: `${section.id}.${el.id}`, message: 'no such attachment on this request' });
      else if (!el.accept.includes(att.contentType))
        problems.push({ path: `${section.id}.${el.id}`, message: `must be one of ${el.accept.join(', ')}` });
    }
  return problems;
}
