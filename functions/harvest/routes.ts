// Admin API of harvest sources, mounted at /api/v1/catalogue/harvest-sources (authenticated, admins
// only): register a node's FAIR Data Point, list sources with their last runs, run one now.
import { desc, eq, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, requireAdmin } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { harvestRuns, harvestSources } from './harvest.sql.ts';
import { lastRuns, runHarvestNow } from './run.ts';

export const harvestSourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, '2-63 lower-case letters, digits and dashes'),
    /** The FAIR Data Point's root; every URL a run fetches must stay on its origin. */
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .refine((u) => !new URL(u).username && !new URL(u).password, 'no credentials in the URL'),
    /** The node whose FAIR Data Point this is: its admins review (publish) the datasets harvested from it. */
    nodeId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
      .optional(),
    /** A trusted source publishes what it lists; otherwise new datasets arrive as drafts for the node's admins. */
    trusted: z.boolean().default(false),
    /** Harvested every this many minutes by the maintenance sweep; absent for on-demand only. */
    intervalMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();

const sourceParam = z.object({ id: z.string().max(100) });

type SourceRow = typeof harvestSources.$inferSelect;
type RunRow = typeof harvestRuns.$inferSelect;

const runView = (r: RunRow) => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt.toISOString() });
const sourceView = (s: SourceRow, last: RunRow | undefined) => ({
  id: s.id,
  url: s.url,
  nodeId: s.nodeId,
  trusted: s.trusted,
  intervalMinutes: s.intervalMinutes,
  nextRunAt: s.nextRunAt?.toISOString() ?? null,
  running: !!s.runningUntil,
  lastRunAt: s.lastRunAt?.toISOString() ?? null,
  lastRun: last ? runView(last) : null,
});

export const harvestRoutes = new Hono<HubEnv>()
  .use('*', requireAdmin)
  .post('/', validate('json', harvestSourceSchema), async (c) => {
    const body = c.req.valid('json');
    const s = c.get('services');
    const [row] = await s.db
      .insert(harvestSources)
      .values({
        id: body.id,
        url: body.url,
        nodeId: body.nodeId ?? null,
        trusted: body.trusted,
        intervalMinutes: body.intervalMinutes ?? null,
        nextRunAt: body.intervalMinutes ? s.clock.now() : null,
        createdBy: callingUser(c).user.sub,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', `harvest source ${body.id} already exists`);
    return c.json(sourceView(row, undefined), 201);
  })
  .get('/', async (c) => {
    const { db } = c.get('services');
    const sources = await db.select().from(harvestSources).orderBy(harvestSources.id);
    const runIds = sources.map((x) => x.lastRunId).filter((x): x is string => !!x);
    const runs = runIds.length
      ? await db.select().from(harvestRuns).where(inArray(harvestRuns.id, runIds)).orderBy(desc(harvestRuns.startedAt))
      : [];
    return c.json({
      sources: sources.map((x) =>
        sourceView(
          x,
          runs.find((r) => r.id === x.lastRunId),
        ),
      ),
    });
  })
  .get('/:id/runs', validate('param', sourceParam), async (c) => {
    const s = c.get('services');
    const [source] = await s.db
      .select({ id: harvestSources.id })
      .from(harvestSources)
      .where(eq(harvestSources.id, c.req.valid('param').id));
    if (!source) throw new AppError('not_found', `no harvest source ${c.req.valid('param').id}`);
    return c.json({ runs: (await lastRuns(s, source.id)).map(runView) });
  })
  /** Runs the harvest now and answers its run when it is over (bounded by HARVEST_DEADLINE_SECONDS). */
  .post('/:id/run', validate('param', sourceParam), async (c) =>
    c.json(runView(await runHarvestNow(c.get('services'), c.req.valid('param').id))),
  );
