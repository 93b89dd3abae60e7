import type { CountResult } from '../shared/job-protocol.ts';
import { type QueryLeaf, type QueryNode, leaves } from '../shared/query.ts';
import type { DatasetInfo } from './dataset.ts';
import type { ImagingIndex, IndexedSeries, IndexedStudy } from './index/imaging-index.ts';
import { FILTER_KEYS, bodyPartCodes, genderCode, manufacturerCodes, modalityCodes } from './vocabulary.ts';

/**
 * Counting is per study: a study matches when the tree is true for it; subjects are the distinct
 * patients of the matching studies. Series-level keys are EXISTS checks over the study's series.
 */
type Filter = { level: 'study'; codes: (study: IndexedStudy) => string[] } | { level: 'series'; codes: (series: IndexedSeries) => string[] };

const FILTERS: Record<string, Filter> = {
  [FILTER_KEYS.gender]: { level: 'study', codes: (study) => [genderCode(study.patientSex)] },
  [FILTER_KEYS.modality]: { level: 'series', codes: (series) => modalityCodes(series.modality) },
  [FILTER_KEYS.bodyPart]: { level: 'series', codes: (series) => bodyPartCodes(series.bodyPart) },
  [FILTER_KEYS.manufacturer]: { level: 'series', codes: (series) => manufacturerCodes(series.manufacturer) },
};

/**
 * Three-valued: `null` means "this part of the tree does not restrict". An unsupported key (or an
 * operator the key cannot take) is reported in `unsupported_keys` and evaluates to null, and every
 * branch ignores null children: the effect is exactly as if the user had not set that filter. Making
 * it TRUE instead would turn `NOT unsupported` into "match nothing"; making it FALSE would zero the
 * counts. Either way the user is told through `unsupported_keys`, never left to guess.
 */
type Tri = boolean | null;

function leafValues(leaf: QueryLeaf): Set<string> | undefined {
  const { type, value } = leaf;
  if ((type === 'EQUALS' || type === 'NOT_EQUALS') && typeof value === 'string') return new Set([value]);
  if (type === 'IN' && Array.isArray(value)) return new Set(value);
  if (type === 'IN' && typeof value === 'string') return new Set([value]);
  return undefined;
}

function isSupported(leaf: QueryLeaf): boolean {
  return FILTERS[leaf.key] !== undefined && leafValues(leaf) !== undefined;
}

function evalLeaf(leaf: QueryLeaf, study: IndexedStudy): Tri {
  const filter = FILTERS[leaf.key];
  const values = leafValues(leaf);
  if (!filter || !values) return null;
  const hit = (codes: string[]) => codes.some((c) => values.has(c));
  const matches = filter.level === 'study' ? hit(filter.codes(study)) : study.series.some((s) => hit(filter.codes(s)));
  // NOT_EQUALS is the negation of EQUALS ("no series of that modality"), so it agrees with
  // NOT(EQUALS) rather than meaning "some series of another modality".
  return leaf.type === 'NOT_EQUALS' ? !matches : matches;
}

function evalNode(node: QueryNode, study: IndexedStudy): Tri {
  if ('key' in node) return evalLeaf(node, study);
  const results = node.children.map((child) => evalNode(child, study)).filter((r): r is boolean => r !== null);
  if (results.length === 0) return null;
  switch (node.operand) {
    case 'AND':
      return results.every(Boolean);
    case 'OR':
      return results.some(Boolean);
    case 'XOR':
      return results.filter(Boolean).length % 2 === 1;
    case 'NOT':
      // Lens gives NOT one child; with several, negate their conjunction.
      return !results.every(Boolean);
  }
}

export function countMatches(query: QueryNode, index: ImagingIndex, dataset: DatasetInfo): CountResult {
  // Found from the tree itself, so they are reported even when the node holds no studies at all.
  const unsupported = new Set(leaves(query).filter((leaf) => !isSupported(leaf)).map((leaf) => leaf.key));
  const subjects = new Set<string>();
  let studies = 0;
  for (const study of index.studies()) {
    // A tree with nothing restricting (the empty query included) matches every study.
    if (evalNode(query, study) === false) continue;
    studies++;
    subjects.add(study.patientId);
  }
  const counts = { studies_count: studies, subjects_count: subjects.size };
  return {
    collections: [{ id: dataset.id, name: dataset.name, description: dataset.description, ...counts }],
    total: counts,
    unsupported_keys: [...unsupported].sort(),
  };
}
