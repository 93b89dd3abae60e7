// The figures of the seed's dashboard (figure 4-2), read from published datasets on every request,
// so they follow the catalogue as it changes.
import { count, desc, eq, sql, sum } from 'drizzle-orm';
import { BODY_PARTS, labelOf, MODALITIES } from '../../shared/catalogue/vocabularies.ts';
import { type Database, rowsOf } from '../db/client.ts';
import { catalogueDatasets as d } from './catalogue.sql.ts';

/** The per-dataset chart shows the largest datasets; the totals count every one. */
export const DASHBOARD_TOP_DATASETS = 30;

type Figures = Awaited<ReturnType<typeof computeFigures>>;
/**
 * The figures last computed per database, with the change stamp they were computed at. Every write
 * to a dataset sets its modification time to now, so an unchanged newest time means unchanged
 * figures: the aggregate over every published dataset runs once per change, not once per visit.
 */
const lastFigures = new WeakMap<Database, { stamp: string; figures: Figures }>();

/** Newest modification in any state: one index lookup per state. */
async function changeStamp(db: Database): Promise<string> {
  const [row] = rowsOf<{ stamp: string | null; n: string | number }>(
    await db.execute(
      sql`select greatest((select max(${d.modifiedAt}) from ${d} where ${d.state} = 'draft'), (select max(${d.modifiedAt}) from ${d} where ${d.state} = 'published'), (select max(${d.modifiedAt}) from ${d} where ${d.state} = 'withdrawn'))::text as stamp, (select count(*) from ${d} where ${d.state} = 'published') as n`,
    ),
  );
  return `${row?.stamp ?? 'empty'}|${row?.n ?? 0}`;
}

export async function dashboardFigures(db: Database): Promise<Figures> {
  const stamp = await changeStamp(db);
  const cached = lastFigures.get(db);
  if (cached?.stamp === stamp) return cached.figures;
  const figures = await computeFigures(db);
  lastFigures.set(db, { stamp, figures });
  return figures;
}

async function computeFigures(db: Database) {
  const published = eq(d.state, 'published');
  const [[totals], perDataset, perModality, perBodyPart] = await Promise.all([
    db
      .select({ datasets: count(), subjects: sum(d.subjects), studies: sum(d.studies) })
      .from(d)
      .where(published),
    db
      .select({ id: d.id, title: d.title, subjects: d.subjects, studies: d.studies })
      .from(d)
      .where(published)
      .orderBy(desc(d.subjects), d.id)
      .limit(DASHBOARD_TOP_DATASETS),
    // A dataset's studies are not split by modality in the profile: each modality it has counts them.
    db.execute(
      sql`select v as code, sum(${d.studies})::bigint as n from ${d}, unnest(${d.modalities}) v where ${published} group by v order by 2 desc`,
    ),
    db.execute(
      sql`select v as code, count(*)::bigint as n from ${d}, unnest(${d.bodyParts}) v where ${published} group by v order by 2 desc`,
    ),
  ]);
  const labelled = (rows: unknown, vocabulary: typeof MODALITIES) =>
    rowsOf<{ code: string; n: string | number }>(rows).map((r) => ({
      code: r.code,
      label: labelOf(vocabulary, r.code),
      count: Number(r.n),
    }));
  return {
    datasets: totals?.datasets ?? 0,
    subjects: Number(totals?.subjects ?? 0),
    studies: Number(totals?.studies ?? 0),
    perDataset,
    studiesPerModality: labelled(perModality, MODALITIES),
    datasetsPerBodyPart: labelled(perBodyPart, BODY_PARTS),
  };
}
