import type { QueryNode } from '../../shared/query.ts';
import type { Db } from '../index/schema.ts';
import { CODED_KEYS, codesOf } from '../vocabulary.ts';
import { compileQuery } from './compile.ts';
import { snapshotOf } from './snapshot.ts';

type StratumName = 'gender' | 'modalities' | 'body_parts' | 'manufacturers';

/** True counts of one dataset, with the subject count behind every stratified value. */
export interface DatasetCounts {
  datasetIdx: number;
  studies: number;
  subjects: number;
  /** Subjects with a known age at diagnosis, and their range. */
  aged: number;
  ageMin: number | null;
  ageMax: number | null;
  /** Per code: matching subjects holding it (series-level: in at least one matching study). */
  strata: Record<StratumName, Record<string, number>>;
}

export type TrueAnswer =
  | { ok: true; datasets: DatasetCounts[]; totalStudies: number; totalSubjects: number }
  | { ok: false; unsupportedKeys: string[] };

const GENDERS = codesOf(CODED_KEYS.gender);
const MASKS = [
  ['modalities', codesOf(CODED_KEYS.modality)],
  ['body_parts', codesOf(CODED_KEYS.bodyPart)],
  ['manufacturers', codesOf(CODED_KEYS.manufacturer)],
] as const;

/** Per dataset while scanning: plain numbers and typed arrays, turned into records at the end. */
interface Acc {
  studies: number;
  subjects: number;
  aged: number;
  ageMin: number;
  ageMax: number;
  genders: Int32Array;
  codes: Int32Array[];
}

const newAcc = (): Acc => ({
  studies: 0,
  subjects: 0,
  aged: 0,
  ageMin: Number.POSITIVE_INFINITY,
  ageMax: Number.NEGATIVE_INFINITY,
  genders: new Int32Array(GENDERS.length),
  codes: MASKS.map(([, codes]) => new Int32Array(codes.length)),
});

function countsOf(datasetIdx: number, a: Acc): DatasetCounts {
  const strata: DatasetCounts['strata'] = { gender: {}, modalities: {}, body_parts: {}, manufacturers: {} };
  for (const [i, code] of GENDERS.entries()) strata.gender[code] = a.genders[i] as number;
  for (const [k, [name, codes]] of MASKS.entries()) for (const [i, code] of codes.entries()) strata[name][code] = a.codes[k]?.[i] as number;
  const aged = a.aged > 0;
  return {
    datasetIdx,
    studies: a.studies,
    subjects: a.subjects,
    aged: a.aged,
    ageMin: aged ? a.ageMin : null,
    ageMax: aged ? a.ageMax : null,
    strata,
  };
}

function addBits(counts: Int32Array, mask: number): void {
  for (let m = mask, bit = 0; m !== 0; m >>>= 1, bit++) if (m & 1) counts[bit] = (counts[bit] as number) + 1;
}

/**
 * Evaluates a query exactly, in one pass over the studies in (dataset, patient) order: a subject is
 * counted once when its first matching study is seen, with the union of its matching studies' codes.
 * Series-level strata are counted per subject, because a group that must not be revealed is a group
 * of people. Obfuscation is applied afterwards, to what leaves the node.
 */
export function evaluateQuery(db: Db, query: QueryNode): TrueAnswer {
  const compiled = compileQuery(query);
  if (!compiled.ok) return compiled;
  const s = snapshotOf(db);
  const test = compiled.test(s);
  const byDataset = new Map<number, Acc>();
  const seenPatient = new Uint8Array(s.patients);
  let totalSubjects = 0;
  let acc: Acc | undefined;
  let lastKey = -1;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  const flush = () => {
    if (!acc) return;
    addBits(acc.codes[0] as Int32Array, m0);
    addBits(acc.codes[1] as Int32Array, m1);
    addBits(acc.codes[2] as Int32Array, m2);
  };
  for (let i = 0; i < s.n; i++) {
    if (!test(i)) continue;
    const d = s.dataset[i] as number;
    const p = s.patient[i] as number;
    const key = d * 0x100000000 + p;
    if (key !== lastKey) {
      flush();
      acc = byDataset.get(d);
      if (!acc) {
        acc = newAcc();
        byDataset.set(d, acc);
      }
      acc.subjects++;
      const g = s.gender[i] as number;
      acc.genders[g] = (acc.genders[g] as number) + 1;
      const age = s.age[i] as number;
      if (!Number.isNaN(age)) {
        acc.aged++;
        if (age < acc.ageMin) acc.ageMin = age;
        if (age > acc.ageMax) acc.ageMax = age;
      }
      // A patient id seen in two datasets of this node is one subject in the total.
      if (!seenPatient[p]) {
        seenPatient[p] = 1;
        totalSubjects++;
      }
      m0 = 0;
      m1 = 0;
      m2 = 0;
      lastKey = key;
    }
    (acc as Acc).studies++;
    m0 |= s.modalities[i] as number;
    m1 |= s.bodyParts[i] as number;
    m2 |= s.manufacturers[i] as number;
  }
  flush();
  const datasets = [...byDataset.entries()].map(([d, a]) => countsOf(d, a)).sort((a, b) => a.datasetIdx - b.datasetIdx);
  return { ok: true, datasets, totalStudies: datasets.reduce((n, d) => n + d.studies, 0), totalSubjects };
}
