// Admin API of harvest sources, mounted at /api/v1/catalogue/harvest-sources (platform admins
// only): register a node's FAIR Data Point, list sources with their last runs, run one now.
import { desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, hubRouter, json } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
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

// The routes, declared once each (platform admins only); the handlers below take them in order.
const iso = z.iso.datetime();
const problem = z.object({ path: z.string(), message: z.string() });
const runSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  trigger: z.enum(['manual', 'schedule']),
  status: z.enum(['succeeded', 'partial', 'failed']),
  /** A failed run's reason code (`timeout`, `off_origin`, `too_large`...). */
  reason: z.string().nullable(),
  message: z.string().nullable(),
  report: z.object({
    documents: z.number().int(),
    bytes: z.number().int(),
    datasets: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    conflicts: z.array(z.string()),
    rejected: z.array(z.object({ id: z.string().nullable(), subject: z.string(), problems: z.array(problem) })),
    withdrawn: z.array(z.string()),
    failures: z
      .array(z.object({ url: z.string(), reason: z.string(), message: z.string() }))
      .optional()
      .describe('documents below the root that could not be read: skipped, and nothing they might list is withdrawn'),
    navigation: z
      .object({ containers: z.number().int(), links: z.number().int() })
      .optional()
      .describe("how the source was walked: along LDP containers, or without them along the reference FDP's links"),
  }),
  startedAt: iso,
  finishedAt: iso,
});
const sourceSchema = z.object({
  id: z.string(),
  url: z.string(),
  nodeId: z.string().nullable(),
  trusted: z.boolean(),
  intervalMinutes: z.number().int().nullable(),
  nextRunAt: iso.nullable(),
  running: z.boolean(),
  lastRunAt: iso.nullable(),
  lastRun: runSchema.nullable(),
});
const register = defineRoute({
  method: 'post',
  path: '/',
  access: 'admin',
  summary:
    "register a node's FAIR Data Point to harvest `{ id, url, nodeId?, trusted?, intervalMinutes? }`: an untrusted source's new datasets are drafts for its node's admins",
  description: '`{ id, url, intervalMinutes? }`: every URL a run fetches stays on the origin of `url`.',
  request: { json: harvestSourceSchema },
  responses: { 201: json(sourceSchema, 'Registered.') },
  errors: { conflict: 'the id exists' },
});
const list = defineRoute({
  method: 'get',
  path: '/',
  access: 'admin',
  summary: 'harvest sources with their last runs',
  responses: { 200: json(z.object({ sources: z.array(sourceSchema) }), 'The sources.') },
});
const runs = defineRoute({
  method: 'get',
  path: '/:id/runs',
  access: 'admin',
  summary: "a source's last runs (`succeeded`, `partial` with the skipped documents, `failed`)",
  request: { params: sourceParam },
  responses: { 200: json(z.object({ runs: z.array(runSchema) }), 'Newest first.') },
  errors: { not_found: 'no such source' },
});
const runNow = defineRoute({
  method: 'post',
  path: '/:id/run',
  access: 'admin',
  summary: 'run a harvest now; answers the run when it is over',
  description: 'Bounded by HARVEST_DEADLINE_SECONDS; a failed run leaves the catalogue as it was.',
  request: { params: sourceParam },
  responses: { 200: json(runSchema, 'The finished run.') },
  errors: { not_found: 'no such source', conflict: 'a run of this source is in progress' },
});

export const harvestRoutes = hubRouter({ tag: 'Harvest' })
  .add(register, async (c) => {
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
  .add(list, async (c) => {
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
  .add(runs, async (c) => {
    const s = c.get('services');
    const [source] = await s.db
      .select({ id: harvestSources.id })
      .from(harvestSources)
      .where(eq(harvestSources.id, c.req.valid('param').id));
    if (!source) throw new AppError('not_found', `no harvest source ${c.req.valid('param').id}`);
    return c.json({ runs: (await lastRuns(s, source.id)).map(runView) });
  })
  /** Runs the harvest now and answers its run when it is over (bounded by HARVEST_DEADLINE_SECONDS). */
  .add(runNow, async (c) => c.json(runView(await runHarvestNow(c.get('services'), c.req.valid('param').id))));
