import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern } from '../../shared/ids.ts';
import { catalogueDatasets } from '../catalogue/catalogue.sql.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { recordHappening } from './happenings.ts';
import { dispatchSoon } from './happenings.ts';
import { accessGrants } from './negotiation.sql.ts';
import { grantListSchema } from './responses.ts';

/** The caller's access grants with their signed statements ("My datasets"), mounted at /api/v1/grants; admins revoke. */
export const grantsRoutes = hubRouter({ tag: 'Negotiation' })
  .add(
    {
      method: 'post',
      path: '/:id/revoke',
      access: 'admin',
      summary: 'revoke a grant (the first revocation stands; holders and representatives are told)',
      request: { params: z.object({ id: z.string().regex(idPattern('grt'), 'not a grant id') }) },
      responses: { 200: json(z.object({ id: z.string(), revokedAt: z.iso.datetime() }), 'Revoked (when it was first revoked).') },
      errors: { not_found: 'no such grant' },
    },
    async (c) => {
      const s = c.get('services');
      const { id } = c.req.valid('param');
      const now = s.clock.now();
      // Revoking twice keeps the first time (the moment access ended is evidence) and tells people once.
      const first = await s.db.transaction(async (tx) => {
        const [row] = await tx
          .update(accessGrants)
          .set({ revokedAt: now })
          .where(and(eq(accessGrants.id, id), isNull(accessGrants.revokedAt)))
          .returning();
        if (row)
          await recordHappening(
            tx,
            {
              negotiationId: row.negotiationId,
              datasetId: row.datasetId,
              type: 'grant.revoked',
              actor: callingUser(c).user.sub,
              title: `Access to dataset ${row.datasetId} was revoked`,
              audience: { author: true, representatives: [row.datasetId] },
              data: { grantId: row.id },
            },
            now,
          );
        return row;
      });
      const [row] = first ? [first] : await s.db.select().from(accessGrants).where(eq(accessGrants.id, id));
      if (!row?.revokedAt) throw new AppError('not_found', 'no such grant');
      if (first) {
        await recordTrace(s, {
          userAction: 'ACCESS_REVOKED',
          userId: row.userSub,
          datasetIds: [row.datasetId],
          requestId: row.negotiationId,
        });
        await dispatchSoon(s);
      }
      return c.json({ id: row.id, revokedAt: row.revokedAt.toISOString() });
    },
  )
  .add(
    {
      method: 'get',
      path: '/',
      access: 'user',
      summary: 'my access grants ("My datasets") with their signed statements',
      description: 'Dataset, conditions, expiry, revocation, and the signed statement (EdDSA JWS) a node checks offline.',
      responses: { 200: json(grantListSchema, "The caller's grants, newest first.") },
    },
    async (c) => {
      const s = c.get('services');
      const rows = await s.db
        .select({ g: accessGrants, title: catalogueDatasets.title })
        .from(accessGrants)
        .leftJoin(catalogueDatasets, eq(catalogueDatasets.id, accessGrants.datasetId))
        .where(eq(accessGrants.userSub, callingUser(c).user.sub))
        .orderBy(desc(accessGrants.id));
      return c.json({
        grants: rows.map(({ g, title }) => ({
          id: g.id,
          negotiationId: g.negotiationId,
          datasetId: g.datasetId,
          datasetTitle: title ?? g.datasetId,
          access: g.access,
          conditions: g.conditions,
          issuedAt: g.createdAt.toISOString(),
          expiresAt: g.expiresAt.toISOString(),
          revoked: g.revokedAt !== null,
          revokedAt: g.revokedAt?.toISOString() ?? null,
          jws: g.jws,
        })),
      });
    },
  );
