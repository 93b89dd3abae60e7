// One harvest run: claim the source, walk it within the bounds, and only after a complete walk write
// through the catalogue (upserts, then withdrawal of what disappeared). Any failure before the
// writes leaves the catalogue exactly as it was; every run leaves a row saying what happened.
import { and, desc, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { catalogueOf } from '../fdp/catalogue.ts';
import type { Services } from '../services.ts';
import { BoundedFetcher, HarvestFailure } from './fetcher.ts';
import { type HarvestReport, harvestRuns, harvestSources } from './harvest.sql.ts';
import { readSource } from './read-source.ts';
import { walkSource } from './walk.ts';

export type HarvestRun = typeof harvestRuns.$inferSelect;
type Source = typeof harvestSources.$inferSelect;

const emptyReport = (): HarvestReport => ({
  documents: 0,
  bytes: 0,
  datasets: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  conflicts: [],
  rejected: [],
  withdrawn: [],
});

/** Takes the source's lease (only when due, for scheduled runs); null when it is running or not due. */
async function claim(s: Services, sourceId: string | undefined, due: boolean): Promise<Source | null> {
  const now = s.clock.now();
  const leaseMs = s.config.HARVEST_DEADLINE_SECONDS * 1000 + 60_000;
  const free = or(isNull(harvestSources.runningUntil), lt(harvestSources.runningUntil, now));
  const dueNow = and(isNotNull(harvestSources.intervalMinutes), or(isNull(harvestSources.nextRunAt), lte(harvestSources.nextRunAt, now)));
  const candidate = s.db
    .select({ id: harvestSources.id })
    .from(harvestSources)
    .where(and(sourceId ? eq(harvestSources.id, sourceId) : undefined, free, due ? dueNow : undefined))
    .orderBy(harvestSources.nextRunAt)
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await s.db
    .update(harvestSources)
    .set({ runningUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(harvestSources.id, sql`(${candidate})`), free))
    .returning();
  return row ?? null;
}

async function execute(s: Services, source: Source, runId: string, report: HarvestReport): Promise<void> {
  const c = s.config;
  const fetcher = new BoundedFetcher(
    new URL(source.url).origin,
    {
      requestTimeoutMs: c.HARVEST_REQUEST_TIMEOUT_MS,
      deadlineAt: s.clock.now().getTime() + c.HARVEST_DEADLINE_SECONDS * 1000,
      maxResponseBytes: c.HARVEST_MAX_RESPONSE_BYTES,
      maxRunBytes: c.HARVEST_MAX_RUN_BYTES,
      maxDocuments: c.HARVEST_MAX_DOCUMENTS,
    },
    () => s.clock.now().getTime(),
  );
  try {
    const walk = await walkSource(source.url, fetcher);
    // A walk that ended past the deadline is as untrustworthy as one cut by it: write nothing.
    fetcher.checkDeadline();
    report.failures = walk.failures;
    report.navigation = walk.navigation;
    const content = readSource(walk.store, walk.listed, `harvest-${source.id}`.slice(0, 100));
    report.datasets = content.datasets.length;
    report.rejected = content.rejected;
    const catalogue = catalogueOf(s);
    const ref = { id: source.id, trusted: source.trusted, nodeId: source.nodeId };
    for (const d of content.datasets) {
      const { outcome, id } = await catalogue.upsertHarvested(ref, d);
      if (outcome === 'conflict') report.conflicts.push(id);
      else report[outcome]++;
    }
    // Withdrawn only what the source positively no longer lists: after a complete reading of its listings.
    if (walk.complete) {
      report.withdrawn = await catalogue.withdrawMissing(
        source.id,
        content.present,
        `no longer published by harvest source ${source.id} (run ${runId})`,
      );
    }
  } finally {
    report.documents = fetcher.documents;
    report.bytes = fetcher.bytes;
  }
}

/** Runs a harvest now (or, with `due`, the next due scheduled source); null when nothing was claimed. */
export async function runHarvest(s: Services, opts: { sourceId?: string; trigger: 'manual' | 'schedule' }): Promise<HarvestRun | null> {
  const source = await claim(s, opts.sourceId, opts.trigger === 'schedule');
  if (!source) return null;
  const runId = crypto.randomUUID();
  const startedAt = s.clock.now();
  const report = emptyReport();
  let failure: HarvestFailure | null = null;
  try {
    await execute(s, source, runId, report);
  } catch (err) {
    failure = err instanceof HarvestFailure ? err : new HarvestFailure('internal', 'the harvest failed inside the hub');
    if (!(err instanceof HarvestFailure)) s.logger.error('harvest failed', { sourceId: source.id, error: (err as Error).message });
  }
  const finishedAt = s.clock.now();
  const [run] = await s.db
    .insert(harvestRuns)
    .values({
      id: runId,
      sourceId: source.id,
      trigger: opts.trigger,
      status: failure ? 'failed' : report.failures?.length ? 'partial' : 'succeeded',
      reason: failure?.reason ?? null,
      message: failure?.message ?? null,
      report,
      startedAt,
      finishedAt,
    })
    .returning();
  const next = source.intervalMinutes ? new Date(finishedAt.getTime() + source.intervalMinutes * 60_000) : null;
  await s.db
    .update(harvestSources)
    .set({ runningUntil: null, lastRunAt: finishedAt, lastRunId: runId, nextRunAt: next })
    .where(eq(harvestSources.id, source.id));
  s.logger.info('harvest run', { sourceId: source.id, runId, status: run?.status, reason: failure?.reason });
  return run ?? null;
}

/** An admin's "run now": 404 for an unknown source, 409 while it is running. */
export async function runHarvestNow(s: Services, sourceId: string): Promise<HarvestRun> {
  const run = await runHarvest(s, { sourceId, trigger: 'manual' });
  if (run) return run;
  const [exists] = await s.db.select({ id: harvestSources.id }).from(harvestSources).where(eq(harvestSources.id, sourceId));
  if (!exists) throw new AppError('not_found', `no harvest source ${sourceId}`);
  throw new AppError('conflict', `harvest source ${sourceId} is being harvested now`);
}

/** The scheduled side, called from the maintenance sweep: at most one due source per sweep. */
export async function runDueHarvest(s: Services): Promise<HarvestRun | null> {
  return runHarvest(s, { trigger: 'schedule' });
}

export async function lastRuns(s: Services, sourceId: string, limit = 10): Promise<HarvestRun[]> {
  return s.db.select().from(harvestRuns).where(eq(harvestRuns.sourceId, sourceId)).orderBy(desc(harvestRuns.startedAt)).limit(limit);
}
