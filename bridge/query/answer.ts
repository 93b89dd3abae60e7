import type { CountResult, JobResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { canonicalQuery } from '../../shared/query-canonical.ts';
import type { Db } from '../index/schema.ts';
import { type DatasetCounts, evaluateQuery } from './evaluate.ts';
import type { Obfuscator } from './obfuscate.ts';

interface DatasetRow {
  idx: number;
  id: string;
  name: string;
  description: string | null;
}

export function listIndexedDatasets(db: Db): DatasetRow[] {
  return db.prepare('SELECT idx, id, name, description FROM q_datasets ORDER BY idx').all() as DatasetRow[];
}

/** Codes whose group is at least the threshold: a smaller group is never revealed, not even as a name. */
const visible = (groups: Record<string, number>, threshold: number) =>
  Object.entries(groups)
    .filter(([, n]) => n > 0 && n >= threshold)
    .map(([code]) => code);

function collection(d: DatasetRow, counts: DatasetCounts | undefined, obf: Obfuscator): CountResult['collections'][number] {
  const t = obf.groupThreshold;
  const base = { id: d.id, name: d.name, ...(d.description ? { description: d.description } : {}) };
  if (!counts)
    return { ...base, studies_count: 0, subjects_count: 0, age_range: null, gender: [], modalities: [], body_parts: [], manufacturers: [] };
  return {
    ...base,
    studies_count: obf.count(counts.studies, `${d.id}:studies`),
    subjects_count: obf.count(counts.subjects, `${d.id}:subjects`),
    age_range:
      counts.aged > 0 && counts.aged >= t && counts.ageMin !== null && counts.ageMax !== null
        ? obf.ageRange(counts.ageMin, counts.ageMax)
        : null,
    gender: visible(counts.strata.gender, t),
    modalities: visible(counts.strata.modalities, t),
    body_parts: visible(counts.strata.body_parts, t),
    manufacturers: visible(counts.strata.manufacturers, t),
  };
}

export type Answer = Exclude<JobResult, { status: 'error' | 'answered' }> | { status: 'answered'; result: CountResult };

/**
 * The answer of this node for one query: per dataset and in total, obfuscated as configured and
 * saying so; or `unsupported` with every key it cannot evaluate — never counts that ignore part of
 * the query. This is the one place counts of the own index are obfuscated: hub jobs, the `query`
 * command and the mediator endpoint all answer through it. `unknownAs: 'no-match'` (the mediator
 * endpoint) answers with what cannot be evaluated matching nothing, listed in `unsupported_keys`.
 */
export function answerQuery(db: Db, query: QueryNode, obf: Obfuscator, unknownAs: 'unsupported' | 'no-match' = 'unsupported'): Answer {
  const truth = evaluateQuery(db, canonicalQuery(query), unknownAs);
  if (!truth.ok) return { status: 'unsupported', unsupported_keys: truth.unsupportedKeys };
  const byIdx = new Map(truth.datasets.map((d) => [d.datasetIdx, d]));
  return {
    status: 'answered',
    result: {
      collections: listIndexedDatasets(db).map((d) => collection(d, byIdx.get(d.idx), obf)),
      total: {
        studies_count: obf.count(truth.totalStudies, 'total:studies'),
        subjects_count: obf.count(truth.totalSubjects, 'total:subjects'),
      },
      unsupported_keys: truth.unsupportedKeys,
      obfuscation: obf.notes(),
    },
  };
}
