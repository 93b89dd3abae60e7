import { EUCAIM_KEYS } from '../../shared/filter-catalogue.ts';
import type { QueryNode } from '../../shared/query.ts';
import type { Db } from '../index/schema.ts';
import { compileQuery } from './compile.ts';
import type { Stratum } from './keys.ts';
import { snapshotOf } from './snapshot.ts';

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
  strata: Record<Stratum, Record<string, number>>;
}

export type TrueAnswer =
  | { ok: true; datasets: DatasetCounts[]; totalStudies: number; totalSubjects: number; unsupportedKeys: string[] }
  | { ok: false; unsupportedKeys: string[] };

/** Per dataset while scanning: plain numbers and typed arrays, turned into records at the end. */
interface Acc {
  studies: number;
  subjects: number;
  aged: number;
  ageMin: number;
  ageMax: number;
  /** Per code position: subjects, for gender and the three series-level lists. */
  gender: Int32Array;
  series: [Int32Array, Int32Array, Int32Array];
}

const SERIES_STRATA = ['modalities', 'body_parts', 'manufacturers'] as const;

function addBits(counts: Int32Array, mask: number): void {
  for (let m = mask >>> 0, bit = 0; m !== 0; m >>>= 1, bit++) if (m & 1) counts[bit] = (counts[bit] as number) + 1;
}

/**
 * Evaluates a query exactly, in one pass over the studies in (dataset, patient) order: a subject is
 * counted once when its first matching study is seen, with the union of its matching studies' codes.
 * Stratified lists are counted per subject, because a group that must not be revealed is a group of
 * people. Obfuscation is applied afterwards, to what leaves the node. `unknownAs` as in compileQuery.
 * The loop is written out per list (the key table gives each list at most one key, keys.ts) because
 * it runs once per study of the node for every query.
 */
export function evaluateQuery(db: Db, query: QueryNode, unknownAs: 'unsupported' | 'no-match' = 'unsupported'): TrueAnswer {
  const s = snapshotOf(db);
  const compiled = compileQuery(query, s, unknownAs);
  if (!compiled.ok) return compiled;
  const test = compiled.test;
  const listKey = (name: Stratum) => s.keys.all.find((k) => k.stratum === name);
  const genderKey = listKey('gender');
  const genderCol = genderKey ? (s.codes[genderKey.column] as Int16Array) : undefined;
  const seriesKeys = SERIES_STRATA.map(listKey);
  const [u0, u1, u2] = seriesKeys.map((k) => (k ? (s.union[k.column] as Uint32Array) : undefined));
  const ageKey = s.keys.find(EUCAIM_KEYS.ageAtDiagnosis);
  const ages = ageKey ? s.numbers[ageKey.column] : undefined;
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
    addBits(acc.series[0], m0);
    addBits(acc.series[1], m1);
    addBits(acc.series[2], m2);
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
        acc = {
          studies: 0,
          subjects: 0,
          aged: 0,
          ageMin: Number.POSITIVE_INFINITY,
          ageMax: Number.NEGATIVE_INFINITY,
          gender: new Int32Array(genderKey?.codes.length ?? 0),
          series: seriesKeys.map((k) => new Int32Array(k?.codes.length ?? 0)) as Acc['series'],
        };
        byDataset.set(d, acc);
      }
      acc.subjects++;
      if (genderCol) {
        const g = genderCol[i] as number;
        if (g >= 0) acc.gender[g] = (acc.gender[g] as number) + 1;
      }
      const age = ages ? (ages[i] as number) : Number.NaN;
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
    if (u0) m0 |= u0[i] as number;
    if (u1) m1 |= u1[i] as number;
    if (u2) m2 |= u2[i] as number;
  }
  flush();
  const datasets = [...byDataset.entries()]
    .map(([datasetIdx, a]): DatasetCounts => {
      const strata: DatasetCounts['strata'] = { gender: {}, modalities: {}, body_parts: {}, manufacturers: {} };
      for (const [at, code] of (genderKey?.codes ?? []).entries()) strata.gender[code] = a.gender[at] as number;
      for (const [k, name] of SERIES_STRATA.entries())
        for (const [at, code] of (seriesKeys[k]?.codes ?? []).entries()) strata[name][code] = (a.series[k] as Int32Array)[at] as number;
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
    })
    .sort((a, b) => a.datasetIdx - b.datasetIdx);
  return {
    ok: true,
    datasets,
    totalStudies: datasets.reduce((n, d) => n + d.studies, 0),
    totalSubjects,
    unsupportedKeys: compiled.unsupportedKeys,
  };
}
