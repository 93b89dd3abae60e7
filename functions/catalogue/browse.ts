// Anonymous browsing of published datasets: full text, filters, sorting, paging and facet counts,
// all on the indexed copies of the metadata (GIN on arrays and the text vector, B-trees per sort).
import { type SQL, and, arrayOverlaps, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { BrowseFilter, BrowseQuery } from '../../shared/catalogue/registration.ts';
import {
  ACCESS_CONDITIONS,
  BODY_PARTS,
  CONDITIONS,
  labelOf,
  MANUFACTURERS,
  MODALITIES,
  TIERS,
  type Vocabulary,
} from '../../shared/catalogue/vocabularies.ts';
import { type Database, rowsOf } from '../db/client.ts';
import { catalogueDatasets as d, catalogueSeries } from './catalogue.sql.ts';

function whereOf(q: BrowseQuery): SQL {
  const parts: (SQL | undefined)[] = [eq(d.state, 'published')];
  if (q.q) parts.push(sql`${d.search} @@ websearch_to_tsquery('english', ${q.q})`);
  if (q.condition) parts.push(inArray(d.condition, q.condition));
  if (q.tier) parts.push(inArray(d.tier, q.tier));
  if (q.publisher) parts.push(inArray(d.publisher, q.publisher));
  if (q.series) parts.push(inArray(d.seriesId, q.series));
  if (q.bodyPart) parts.push(arrayOverlaps(d.bodyParts, q.bodyPart));
  if (q.modality) parts.push(arrayOverlaps(d.modalities, q.modality));
  if (q.manufacturer) parts.push(arrayOverlaps(d.manufacturers, q.manufacturer));
  if (q.accessCondition) parts.push(arrayOverlaps(d.accessConditions, q.accessCondition));
  return and(...parts) as SQL;
}

function orderOf(q: BrowseQuery): SQL[] {
  const sort = q.sort ?? (q.q ? 'relevance' : 'title');
  if (sort === 'relevance') {
    return q.q ? [sql`ts_rank(${d.search}, websearch_to_tsquery('english', ${q.q})) desc`, asc(d.id)] : [asc(d.title), asc(d.id)];
  }
  const column = { title: d.title, subjects: d.subjects, studies: d.studies, modified: d.modifiedAt }[sort.replace('-', '') as 'title'];
  return sort.startsWith('-') ? [desc(column), desc(d.id)] : [asc(column), asc(d.id)];
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

const vocabularyOf: Partial<Record<BrowseFilter, Vocabulary>> = {
  condition: CONDITIONS,
  bodyPart: BODY_PARTS,
  modality: MODALITIES,
  manufacturer: MANUFACTURERS,
  accessCondition: ACCESS_CONDITIONS,
  tier: TIERS,
};

/** The filter a vocabulary code belongs to: the codes of the browse vocabularies are distinct (tested). */
export const facetOfCode = new Map<string, BrowseFilter>(
  Object.entries(vocabularyOf).flatMap(([facet, vocabulary]) => vocabulary.map((t) => [t.code, facet as BrowseFilter] as const)),
);

/**
 * Counts per value of every filter over the datasets the query matches, in one scan and one
 * aggregate: each match yields its codes (distinct across vocabularies, so a code names its filter),
 * its publisher and its series (prefixed, as they are free text), and one hash aggregate counts them.
 * Materialising the matches or grouping per filter costs more than the scan itself.
 */
async function facetsOf(db: Database, where: SQL): Promise<{ total: number; values: Record<BrowseFilter, FacetValue[]> }> {
  const counted = rowsOf<{ value: string; n: number }>(
    await db.execute(sql`
      select v as value, count(*)::int as n from ${d}
      cross join lateral unnest(array['', ${d.condition}, ${d.tier}, 'p:' || ${d.publisher}, 's:' || ${d.seriesId}]
        || ${d.modalities} || ${d.bodyParts} || ${d.manufacturers} || ${d.accessConditions}) v
      where ${where} group by v`),
  );
  const rows = counted.flatMap(({ value, n }): { facet: BrowseFilter | 'total'; value: string; n: number }[] => {
    if (value === '') return [{ facet: 'total', value, n }];
    if (value.startsWith('p:')) return [{ facet: 'publisher', value: value.slice(2), n }];
    if (value.startsWith('s:')) return [{ facet: 'series', value: value.slice(2), n }];
    const facet = facetOfCode.get(value);
    return facet ? [{ facet, value, n }] : [];
  });
  const seriesIds = rows.filter((r) => r.facet === 'series').map((r) => r.value);
  const titles = new Map(
    seriesIds.length
      ? (
          await db
            .select({ id: catalogueSeries.id, title: catalogueSeries.title })
            .from(catalogueSeries)
            .where(inArray(catalogueSeries.id, seriesIds))
        ).map((s) => [s.id, s.title])
      : [],
  );
  const out = {
    condition: [],
    bodyPart: [],
    modality: [],
    manufacturer: [],
    publisher: [],
    accessCondition: [],
    tier: [],
    series: [],
  } as Record<BrowseFilter, FacetValue[]>;
  let total = 0;
  for (const r of rows) {
    if (r.facet === 'total') {
      total = Number(r.n);
      continue;
    }
    const vocabulary = vocabularyOf[r.facet];
    const label = vocabulary ? labelOf(vocabulary, r.value) : r.facet === 'series' ? (titles.get(r.value) ?? r.value) : r.value;
    out[r.facet].push({ value: r.value, label, count: Number(r.n) });
  }
  for (const values of Object.values(out)) values.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  // Publishers and series can be many: the panel shows the largest.
  out.publisher = out.publisher.slice(0, 50);
  out.series = out.series.slice(0, 50);
  return { total, values: out };
}

/**
 * Counting every match of a broad query visits every matching row, which is what makes a browse
 * slow at 100,000 datasets; past this many the total says "more than" (`totalCapped`), as search
 * engines do. A facet request counts exactly anyway, so its total is exact.
 */
export const TOTAL_CAP = 1000;

export async function browseDatasets(db: Database, q: BrowseQuery, cap = TOTAL_CAP) {
  const where = whereOf(q);
  const counted = async () => {
    const [row] = rowsOf<{ n: number | string }>(
      await db.execute(sql`select count(*)::int as n from (select 1 from ${d} where ${where} limit ${cap + 1}) m`),
    );
    return Number(row?.n ?? 0);
  };
  const [items, total, facets] = await Promise.all([
    db
      .select({
        id: d.id,
        title: d.title,
        description: sql<string>`left(${d.metadata}->>'description', 300)`,
        condition: d.condition,
        tier: d.tier,
        publisher: d.publisher,
        seriesId: d.seriesId,
        nodeId: d.nodeId,
        modalities: d.modalities,
        bodyParts: d.bodyParts,
        accessConditions: d.accessConditions,
        subjects: d.subjects,
        studies: d.studies,
        modifiedAt: d.modifiedAt,
      })
      .from(d)
      .where(where)
      .orderBy(...orderOf(q))
      .limit(q.limit)
      .offset(q.offset),
    q.facets === 'true' ? Promise.resolve(-1) : counted(),
    q.facets === 'true' ? facetsOf(db, where) : Promise.resolve(null),
  ]);
  const exact = facets ? facets.total : total;
  return {
    items: items.map((i) => ({ ...i, modifiedAt: i.modifiedAt.toISOString() })),
    total: Math.min(exact, facets ? exact : cap),
    totalCapped: !facets && exact > cap,
    facets: facets?.values ?? null,
    offset: q.offset,
    limit: q.limit,
  };
}
