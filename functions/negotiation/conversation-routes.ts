// Posts and attachments of one negotiation (mounted under /api/v1/negotiations/{id}). Reading needs
// the negotiation to be readable (author, its representatives, admins; 404 for anyone else).
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern, newId } from '../../shared/ids.ts';
import { defineRoute, hubRouter, json, media } from '../api/hub-router.ts';
import { callingUser, type UserPrincipal } from '../middleware/guards.ts';
import type { Database } from '../db/client.ts';
import { attachmentView, findAttachment, listAttachments, storeAttachment } from './attachments.ts';
import { negotiationAttachments, negotiationPosts } from './conversation.sql.ts';
import { dispatchSoon, recordHappening } from './happenings.ts';
import { negotiationDatasets, negotiations } from './negotiation.sql.ts';
import { type NegotiationRow, negotiationTimeline, readableNegotiation, representedIn } from './negotiation-store.ts';
import { attachmentSchema, postSchema, timelineSchema } from './responses.ts';

const idParam = z.object({ id: z.string().regex(idPattern('neg'), 'not a negotiation id') });
const attachmentParam = idParam.extend({ attachmentId: z.string().regex(idPattern('att'), 'not an attachment id') });
export const postInputSchema = z
  .object({ body: z.string().trim().min(1, 'write something').max(10_000), datasetId: z.string().uuid('not a dataset id').optional() })
  .strict();
const uploadQuery = z.object({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\\0]+$/, 'a file name, not a path'),
});

/** Posts the viewer may read: public ones, and private threads of datasets they represent (all for author and admins). */
export async function visiblePosts(db: Database, user: UserPrincipal, row: NegotiationRow) {
  const everything = row.author === user.user.sub || user.admin;
  const mine = everything ? [] : await representedIn(db, user, row.id);
  const scope = everything
    ? undefined
    : mine.length
      ? or(isNull(negotiationPosts.datasetId), inArray(negotiationPosts.datasetId, mine))
      : isNull(negotiationPosts.datasetId);
  const rows = await db
    .select()
    .from(negotiationPosts)
    .where(and(eq(negotiationPosts.negotiationId, row.id), scope))
    .orderBy(asc(negotiationPosts.id));
  return rows.map((p) => ({
    id: p.id,
    datasetId: p.datasetId,
    author: p.author,
    role: p.role,
    body: p.body,
    createdAt: p.createdAt.toISOString(),
  }));
}

/** While the author may still change the application: a draft, or a dataset returned for resubmission. */
async function editable(db: Database, row: NegotiationRow): Promise<boolean> {
  if (row.state === 'DRAFT') return true;
  const [returned] = await db
    .select({ d: negotiationDatasets.datasetId })
    .from(negotiationDatasets)
    .where(and(eq(negotiationDatasets.negotiationId, row.id), eq(negotiationDatasets.state, 'RETURNED_FOR_RESUBMISSION')))
    .limit(1);
  return Boolean(returned);
}

// The routes, declared once each; the handlers below take them in order.
const READERS = 'its author, representatives of its datasets, and platform admins (404 for anyone else)';
const readable = { access: 'user', rule: READERS } as const;
const NOT_READABLE = { not_found: 'no such negotiation the caller may read' } as const;
const AUTHOR_WHILE_EDITABLE = 'its author, while the request is a draft or returned for resubmission';
const listPosts = defineRoute({
  ...readable,
  method: 'get',
  path: '/:id/posts',
  summary: 'the posts the caller may read: public ones and the private threads of their datasets',
  request: { params: idParam },
  responses: { 200: json(z.object({ posts: z.array(postSchema) }), 'Oldest first.') },
  errors: NOT_READABLE,
});
const addPost = defineRoute({
  ...readable,
  method: 'post',
  path: '/:id/posts',
  summary: "post `{ body, datasetId? }`: public, or a private thread with one dataset's representatives",
  request: { params: idParam, json: postInputSchema },
  responses: { 201: json(postSchema, 'Posted; the other side is notified.') },
  errors: {
    ...NOT_READABLE,
    forbidden: 'only the researcher, representatives of that dataset and admins write in this thread',
  },
});
const timeline = defineRoute({
  ...readable,
  method: 'get',
  path: '/:id/timeline',
  summary: 'every event, visible post and attachment, oldest first, with who and when',
  request: { params: idParam },
  responses: { 200: json(timelineSchema, 'The timeline.') },
  errors: NOT_READABLE,
});
const listAttachmentsRoute = defineRoute({
  ...readable,
  method: 'get',
  path: '/:id/attachments',
  summary: "the application's attachments",
  request: { params: idParam },
  responses: { 200: json(z.object({ attachments: z.array(attachmentSchema) }), 'Oldest first.') },
  errors: NOT_READABLE,
});
const attach = defineRoute({
  method: 'post',
  path: '/:id/attachments',
  access: 'user',
  rule: AUTHOR_WHILE_EDITABLE,
  summary:
    'attach a file: raw body + `Content-Type` + `?name=`; 415 unless content, type and extension agree; 413 over the limit (checked while streaming)',
  description: '415 unless content, type and extension agree; 413 over the limit, checked while streaming.',
  request: {
    params: idParam,
    query: uploadQuery,
    body: { description: 'The file, byte for byte, with its Content-Type (PDF, images, office documents, text).', content: { '*/*': {} } },
  },
  responses: { 201: json(attachmentSchema, 'Attached.') },
  errors: {
    ...NOT_READABLE,
    forbidden: 'only the researcher who wrote the request attaches files',
    conflict: 'the request is no longer a draft or returned for resubmission',
    payload_too_large: 'over NEGOTIATION_ATTACHMENT_MAX_BYTES',
    unsupported_media_type: 'content, type and extension do not agree, or the type is not accepted',
  },
});
const download = defineRoute({
  ...readable,
  method: 'get',
  path: '/:id/attachments/:attachmentId',
  summary: 'download an attachment (always as an attachment, never rendered)',
  request: { params: attachmentParam },
  responses: {
    200: media(['application/octet-stream'], 'The file with its own Content-Type.', {
      'content-disposition': { description: "attachment; filename*=UTF-8''<name>" },
    }),
  },
  errors: { not_found: 'no such negotiation the caller may read, or no such attachment' },
});
const remove = defineRoute({
  method: 'delete',
  path: '/:id/attachments/:attachmentId',
  access: 'user',
  rule: AUTHOR_WHILE_EDITABLE,
  summary: 'remove an attachment',
  request: { params: attachmentParam },
  responses: { 200: json(z.object({ id: z.string(), deleted: z.boolean() }), 'Removed.') },
  errors: {
    not_found: 'no such negotiation the caller may read, or no such attachment',
    forbidden: 'only the researcher who wrote the request removes attachments',
    conflict: 'the request is no longer a draft or returned for resubmission',
  },
});

export const conversationRoutes = hubRouter({ tag: 'Negotiation' })
  .add(listPosts, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    return c.json({ posts: await visiblePosts(s.db, user, await readableNegotiation(s.db, user, c.req.valid('param').id)) });
  })
  /** A public post, or with `datasetId` a private one between the author, that dataset's representatives and admins. */
  .add(addPost, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const row = await readableNegotiation(s.db, user, c.req.valid('param').id);
    const { body, datasetId } = c.req.valid('json');
    const represented = await representedIn(s.db, user, row.id);
    if (datasetId) {
      const [requested] = await s.db
        .select({ d: negotiationDatasets.datasetId })
        .from(negotiationDatasets)
        .where(and(eq(negotiationDatasets.negotiationId, row.id), eq(negotiationDatasets.datasetId, datasetId)));
      if (!requested) throw new AppError('not_found', 'this negotiation does not request that dataset');
    }
    const isAuthor = row.author === user.user.sub;
    const role = isAuthor
      ? 'researcher'
      : (datasetId ? represented.includes(datasetId) : represented.length > 0)
        ? 'representative'
        : user.admin
          ? 'admin'
          : null;
    if (!role) throw new AppError('forbidden', 'only the researcher, representatives of that dataset and admins write in this thread');
    const now = s.clock.now();
    const id = newId('pst', now.getTime());
    await s.db.transaction(async (tx) => {
      await tx
        .insert(negotiationPosts)
        .values({ id, negotiationId: row.id, datasetId: datasetId ?? null, author: user.user.sub, role, body, createdAt: now });
      await tx.update(negotiations).set({ updatedAt: now }).where(eq(negotiations.id, row.id));
      // The other side: the representatives when the researcher writes, the researcher otherwise.
      const audience = isAuthor
        ? { representatives: datasetId ? [datasetId] : ('all' as const) }
        : { author: true, representatives: datasetId ? [datasetId] : [] };
      await recordHappening(
        tx,
        {
          negotiationId: row.id,
          datasetId,
          type: 'post.created',
          actor: user.user.sub,
          title: `New ${datasetId ? 'private ' : ''}message on access request ${row.id}`,
          audience,
          data: { postId: id },
        },
        now,
      );
    });
    await dispatchSoon(s);
    return c.json({ id, datasetId: datasetId ?? null, author: user.user.sub, role, body, createdAt: now.toISOString() }, 201);
  })
  /** Every transition, post the viewer may read and attachment, oldest first, with who and when. */
  .add(timeline, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const row = await readableNegotiation(s.db, user, c.req.valid('param').id);
    const entries = [
      ...(await negotiationTimeline(s.db, row.id)).map((t) => ({
        at: t.at,
        kind: 'event' as const,
        who: t.actor,
        role: t.role,
        datasetId: t.datasetId,
        text: `${t.event}: ${t.from} → ${t.to}`,
      })),
      ...(await visiblePosts(s.db, user, row)).map((p) => ({
        at: p.createdAt,
        kind: 'post' as const,
        who: p.author,
        role: p.role,
        datasetId: p.datasetId,
        text: p.body,
      })),
      ...(await listAttachments(s.db, row.id)).map((a) => ({
        at: a.createdAt.toISOString(),
        kind: 'attachment' as const,
        who: a.uploadedBy,
        role: 'researcher',
        datasetId: null,
        text: `attached ${a.name} (${a.contentType}, ${a.size} bytes)`,
      })),
    ];
    return c.json({ entries: entries.sort((x, y) => x.at.localeCompare(y.at)) });
  })
  .add(listAttachmentsRoute, async (c) => {
    const s = c.get('services');
    const row = await readableNegotiation(s.db, callingUser(c), c.req.valid('param').id);
    return c.json({ attachments: (await listAttachments(s.db, row.id)).map(attachmentView) });
  })
  /** The raw bytes as the body, the type as Content-Type, the file name as `?name=`; only the author, while editable. */
  .add(attach, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const row = await readableNegotiation(s.db, user, c.req.valid('param').id);
    if (row.author !== user.user.sub) throw new AppError('forbidden', 'only the researcher who wrote the request attaches files');
    if (!(await editable(s.db, row)))
      throw new AppError('conflict', 'attachments can be added while the request is a draft or returned for resubmission');
    const length = c.req.header('content-length');
    const attachment = await storeAttachment(s, {
      negotiationId: row.id,
      name: c.req.valid('query').name,
      contentType: c.req.header('content-type') ?? '',
      declaredLength: length && /^\d+$/.test(length) ? Number(length) : undefined,
      body: c.req.raw.body,
      by: user.user.sub,
    });
    await s.db.transaction(async (tx) => {
      await tx.update(negotiations).set({ updatedAt: s.clock.now() }).where(eq(negotiations.id, row.id));
      await recordHappening(
        tx,
        {
          negotiationId: row.id,
          type: 'attachment.added',
          actor: user.user.sub,
          title: `Attachment ${attachment.name} added to ${row.id}`,
          audience: {},
          data: { attachmentId: attachment.id },
        },
        s.clock.now(),
      );
    });
    await dispatchSoon(s);
    return c.json(attachment, 201);
  })
  .add(download, async (c) => {
    const s = c.get('services');
    const { id, attachmentId } = c.req.valid('param');
    await readableNegotiation(s.db, callingUser(c), id);
    const att = await findAttachment(s.db, id, attachmentId);
    const object = await s.objectStore.get(att.key);
    if (!object) throw new AppError('not_found', 'the attachment is no longer stored');
    // Always a download, never rendered by the browser in the hub's origin.
    return c.body(object.body, 200, {
      'content-type': att.contentType,
      'content-length': String(object.size),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(att.name)}`,
      'x-content-type-options': 'nosniff',
    });
  })
  .add(remove, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const { id, attachmentId } = c.req.valid('param');
    const row = await readableNegotiation(s.db, user, id);
    if (row.author !== user.user.sub) throw new AppError('forbidden', 'only the researcher who wrote the request removes attachments');
    if (!(await editable(s.db, row)))
      throw new AppError('conflict', 'attachments can be removed while the request is a draft or returned for resubmission');
    const att = await findAttachment(s.db, id, attachmentId);
    await s.db.delete(negotiationAttachments).where(eq(negotiationAttachments.id, att.id));
    await s.objectStore.delete(att.key);
    return c.json({ id: att.id, deleted: true });
  });
