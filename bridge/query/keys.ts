import { EUCAIM_KEYS, type FilterDefinition, HYPER_ONTOLOGY_PREFIX, filterByKey } from '../../shared/filter-catalogue.ts';

/** DICOM header fields the index reads per file (columns of `files`). */
export type DicomField = 'modality' | 'body_part' | 'manufacturer' | 'patient_sex';
/** The answer lists a key's codes feed (`CountResult` collections). */
export type Stratum = 'gender' | 'modalities' | 'body_parts' | 'manufacturers';

/**
 * One filter key the bridge can evaluate and where its data comes from. Everything else is derived
 * from this table: the clinical table and the sheet columns read, the query tables, the snapshot's
 * columns (by name), the compiler's tests and the capability manifest.
 */
export interface QueryKeySpec {
  /** The catalogue key (either spelling). */
  key: string;
  /** One name for the key's column in `clinical`, `q_studies` / `q_series` and the snapshot. */
  column: string;
  /** Clinical sheet columns (header in any case) of a patient-level key; the first non-empty cell wins. */
  sheet?: string[];
  /** The DICOM field of a series-level key, or the fallback of a patient-level one (PatientSex). */
  dicom?: DicomField;
  /** Evaluable on every node; otherwise only where a clinical sheet has one of its columns. */
  always?: boolean;
  stratum?: Stratum;
  /** The cell as the vocabulary reads it, when one key is fed by columns that need telling apart. */
  cellText?: (sheetColumn: string, cell: string) => string;
}

const ho = (code: string) => `${HYPER_ONTOLOGY_PREFIX}${code}`;
const clinical = (code: string, column: string): QueryKeySpec => ({ key: ho(code), column, sheet: [column] });

export const QUERY_KEYS: readonly QueryKeySpec[] = [
  { key: EUCAIM_KEYS.gender, column: 'gender', sheet: ['sex'], dicom: 'patient_sex', always: true, stratum: 'gender' },
  { key: EUCAIM_KEYS.ageAtDiagnosis, column: 'age', sheet: ['age_at_diagnosis'], always: true },
  { key: EUCAIM_KEYS.diagnosis, column: 'diagnosis', sheet: ['diagnosis'], always: true },
  { key: EUCAIM_KEYS.yearOfDiagnosis, column: 'year', sheet: ['year_of_diagnosis'], always: true },
  { key: EUCAIM_KEYS.modality, column: 'modality', dicom: 'modality', always: true, stratum: 'modalities' },
  { key: EUCAIM_KEYS.bodyPart, column: 'body_part', dicom: 'body_part', always: true, stratum: 'body_parts' },
  { key: EUCAIM_KEYS.manufacturer, column: 'manufacturer', dicom: 'manufacturer', always: true, stratum: 'manufacturers' },
  clinical('CLIN1045815', 'er_status'),
  clinical('CLIN1046085', 'pr_status'),
  clinical('CLIN1033410', 'psa'),
  clinical('CLIN1045851', 'her2'),
  clinical('CLIN1045913', 'ki67'),
  clinical('CLIN1037294', 'gleason'),
  clinical('CLIN1037300', 'isup_grade_group'),
  clinical('CLIN1033379', 'ct_category'),
  clinical('CLIN1033391', 'pt_category'),
  clinical('CLIN1033358', 'cn_category'),
  clinical('CLIN1033368', 'pn_category'),
  clinical('CLIN1033341', 'cm_category'),
  clinical('CLIN1033349', 'pm_category'),
  // The explorer's catalogue gives BI-RADS and PI-RADS one key: a bare "4" is read by its column.
  {
    key: ho('IMG1005459'),
    column: 'bi_rads_pi_rads',
    sheet: ['bi_rads', 'pi_rads'],
    cellText: (column, cell) => (/^\d$/.test(cell.trim()) ? `${column === 'bi_rads' ? 'BI-RADS' : 'PI-RADS'} ${cell.trim()}` : cell),
  },
];

/** A table entry with what the catalogue says about it. */
export interface QueryKey extends QueryKeySpec {
  filter: FilterDefinition;
  level: 'patient' | 'series';
  kind: 'code' | 'number';
  /** Codes in position order (bit of a series mask, id in a patient column); `sameAs` codes share one. */
  codes: string[];
  /** The position of the code that means "no value", if the filter has one. */
  noValue?: number;
}

/** Widest mask of a series-level key: one bit per code in a 32-bit integer. */
export const MASK_BITS = 32;
/** Code ids of a patient-level key live in an Int16Array; -1 is "no value". */
const MAX_PATIENT_CODES = 32767;
const COLUMN = /^[a-z][a-z0-9_]{0,40}$/;
/** Columns the query tables hold for every study; no key may take their names. */
const RESERVED = new Set(['dataset', 'patient', 'patient_id', 'study', 'series_from', 'series_to', 'idx', 'folder', 'id', 'name']);

const bare = (name: string) => (name.startsWith(HYPER_ONTOLOGY_PREFIX) ? name.slice(HYPER_ONTOLOGY_PREFIX.length) : name);

/**
 * The bridge's keys, checked once: each in the catalogue with a value type the index can hold,
 * column names safe and unique, and no coded key with more codes than its column can tell apart
 * (33 codes in a 32-bit mask would silently share bits).
 */
export class KeySet {
  readonly all: QueryKey[];
  readonly patient: QueryKey[];
  readonly series: QueryKey[];
  private readonly byKey = new Map<string, QueryKey>();
  private readonly positions = new Map<QueryKey, Map<string, number>>();

  constructor(specs: readonly QueryKeySpec[] = QUERY_KEYS, lookup: (key: string) => FilterDefinition | undefined = filterByKey) {
    const columns = new Set<string>();
    this.all = specs.map((spec) => {
      const filter = lookup(spec.key);
      if (!filter) throw new Error(`query key ${spec.key}: not in the filter catalogue`);
      if (filter.valueType === 'string') throw new Error(`query key ${spec.key}: the index holds codes and numbers, not free text`);
      if (!COLUMN.test(spec.column) || RESERVED.has(spec.column) || columns.has(spec.column))
        throw new Error(`query key ${spec.key}: column "${spec.column}" is not a free, plain column name`);
      columns.add(spec.column);
      if (filter.level === 'series' && (!spec.dicom || spec.dicom === 'patient_sex'))
        throw new Error(`query key ${spec.key}: a series-level key needs its DICOM field`);
      if (filter.level === 'patient' && (spec.dicom ?? 'patient_sex') !== 'patient_sex')
        throw new Error(`query key ${spec.key}: the only DICOM fallback of a patient-level key is PatientSex`);
      if (filter.level === 'patient' && !spec.sheet?.length && !spec.dicom) throw new Error(`query key ${spec.key}: no source`);
      const position = new Map<string, number>();
      const codes: string[] = [];
      let noValue: number | undefined;
      for (const v of filter.values ?? []) {
        const at = v.sameAs !== undefined ? (position.get(bare(v.sameAs)) as number) : codes.push(v.code) - 1;
        position.set(bare(v.code), at);
        if (v.noValue) noValue = at;
      }
      // The answer's lists: gender per subject, the other three per series (evaluate.ts counts them so).
      if (spec.stratum && (spec.stratum === 'gender') !== (filter.level === 'patient' && filter.valueType === 'code'))
        throw new Error(
          `query key ${spec.key}: the ${spec.stratum} list takes a ${spec.stratum === 'gender' ? 'patient' : 'series'}-level coded key`,
        );
      if (spec.stratum && specs.filter((x) => x.stratum === spec.stratum).length > 1)
        throw new Error(`query key ${spec.key}: two keys feed ${spec.stratum}`);
      const limit = filter.level === 'series' ? MASK_BITS : MAX_PATIENT_CODES;
      if (codes.length > limit) throw new Error(`query key ${spec.key}: ${codes.length} codes do not fit its column (at most ${limit})`);
      const key: QueryKey = {
        ...spec,
        filter,
        level: filter.level,
        kind: filter.valueType === 'number' ? 'number' : 'code',
        codes,
        noValue,
      };
      this.positions.set(key, position);
      this.byKey.set(bare(spec.key), key);
      return key;
    });
    this.patient = this.all.filter((k) => k.level === 'patient');
    this.series = this.all.filter((k) => k.level === 'series');
  }

  /** The keys a node can hold values for: the always-known ones and those a sheet has a column for. */
  present(sheetColumns: ReadonlySet<string>): QueryKey[] {
    return this.all.filter((k) => k.always === true || sheetColumns.has(k.column));
  }

  /** The entry of a key in either spelling. */
  find(key: string): QueryKey | undefined {
    return this.byKey.get(bare(key));
  }

  /** The position of a code of a coded key (either spelling); undefined for a code it does not have. */
  position(key: QueryKey, code: unknown): number | undefined {
    return typeof code === 'string' ? this.positions.get(key)?.get(bare(code)) : undefined;
  }

  /** What the query tables' layout depends on: a changed table means the derived tables are rebuilt. */
  get layout(): string {
    return JSON.stringify(this.all.map((k) => [k.column, k.level, k.kind, k.codes, k.sheet ?? [], k.dicom ?? '']));
  }
}

export const DEFAULT_KEYS = new KeySet();
