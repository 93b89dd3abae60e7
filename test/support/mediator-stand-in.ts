import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoPlan } from '../../bridge/demo/plan.ts';

/**
 * A stand-in for the CHAIMELEON/UPV mediator's search route, on loopback, behaving as the real one
 * does, quirks included. Source: chaimeleon-eu/dataset-service at d0c41ab —
 * `dataset_service/RESTServer.py` (route `POST /api/datasets/eucaimSearch`, `setErrorResponse`,
 * `_check_header_content_type`), `dataset_service/storage/eucaim_search.py` (the tree → SQL
 * translation and the answer), `dataset_service/storage/eucaim_formats.py` (codes → stored values),
 * `dataset_service/output_formats.py` (the stored label lists). The SQL is evaluated in memory
 * with SQL's three-valued logic (no NOT is ever generated, so NULL reads as "no match").
 */
export interface StandInSeries {
  modality: string | null;
  bodyPart: string | null;
  manufacturer: string | null;
}
export interface StandInStudy {
  subject: string;
  /** study.sex: M, F, O or NULL. */
  sex: 'M' | 'F' | 'O' | null;
  ageInDays: number | null;
  /** study.diagnosis as stored: "Prostate cancer", ... */
  diagnosis: string | null;
  diagnosisYear: number | null;
  series: StandInSeries[];
}
export interface StandInDataset {
  id: string;
  name: string;
  description: string;
  /** Only public, non-draft, valid datasets are searched. */
  published: boolean;
  ageLowInDays: number | null;
  ageHighInDays: number | null;
  /** The dataset's stored lists, in their final (MIABIS / DICOM) spelling. */
  sex: string[];
  modality: string[];
  bodyPart: string[];
  studies: StandInStudy[];
}

class ValidationError extends Error {}
/** What psycopg2 raises on the SQL the real code builds in some cases: a 500 there. */
class SqlError extends Error {}

// eucaim_formats.py: the translation of each code; `null` is "IS NULL"; absent raises (→ FALSE or 422).
const GENDER: Record<string, string | null> = {
  SNOMEDCT261665006: null,
  SNOMEDCT248153007: 'M',
  SNOMEDCT248152002: 'F',
  SNOMEDCT74964007: 'O',
};
const DIAGNOSIS: Record<string, string | null> = {
  SNOMEDCT261665006: null,
  SNOMEDCT399068003: 'Prostate cancer',
  SNOMEDCT254837009: 'Breast cancer',
  SNOMEDCT363358000: 'Lung cancer',
  SNOMEDCT363406005: 'Colon cancer',
  SNOMEDCT363351006: 'Rectum cancer',
};
const BODY_PART: Record<string, string | null> = {
  SNOMEDCT261665006: null,
  SNOMEDCT41216001: 'PROSTATE',
  SNOMEDCT76752008: 'BREAST',
  SNOMEDCT39607008: 'LUNG',
  SNOMEDCT71854001: 'COLON',
  SNOMEDCT818981001: 'ABDOMEN',
  SNOMEDCT816092008: 'PELVIS',
  SNOMEDCT69536005: 'HEAD',
};
const MODALITY: Record<string, string | null> = { SNOMEDCT261665006: null, RID10312: 'MR', RID10337: 'PT', RID10321: 'CT', RID10334: 'NM' };
const MANUFACTURER: Record<string, string | null> = {
  SNOMEDCT261665006: null,
  C200140: 'Siemens',
  birnlex_3066: 'Siemens',
  birnlex_12833: 'General Electric',
  birnlex_3065: 'Philips',
  birnlex_3067: 'Toshiba',
};

type Row = { study: StandInStudy; series?: StandInSeries };
type Cond = (r: Row) => boolean;
const FALSE: Cond = () => false;

function translate(table: Record<string, string | null>, code: unknown): string | null {
  if (typeof code !== 'string' || !(code in table)) throw new ValidationError('unknown value');
  return table[code] as string | null;
}

/** `_searchConditionStringToSQL` + `_searchConditionStringValueToSQL`. */
function stringCondition(sr: Record<string, unknown>, table: Record<string, string | null>, get: (r: Row) => string | null): Cond {
  const type = sr.type;
  if (type === 'IN') {
    if (!Array.isArray(sr.value) || sr.value.some((v) => typeof v !== 'string')) throw new ValidationError('not an array of strings');
    // Unknown items are logged and left out; NULL ones become "IS NULL OR".
    const values: (string | null)[] = [];
    for (const v of sr.value) {
      try {
        values.push(translate(table, v));
      } catch {}
    }
    const hasNull = values.includes(null);
    if (hasNull) values.splice(values.indexOf(null), 1);
    if (hasNull && values.length === 0) return (r) => get(r) === null;
    // `IN ()` is a syntax error in PostgreSQL: the request fails with 500.
    if (values.length === 0) throw new SqlError('IN ()');
    return (r) => (hasNull && get(r) === null) || (get(r) !== null && values.includes(get(r)));
  }
  if (type === 'EQUALS' || type === 'NOT_EQUALS' || type === 'CONTAINS') {
    if (typeof sr.value !== 'string') throw new ValidationError('not a string');
    const v = translate(table, sr.value);
    if (type === 'EQUALS') return v === null ? (r) => get(r) === null : (r) => get(r) === v;
    if (type === 'NOT_EQUALS') return v === null ? (r) => get(r) !== null : (r) => get(r) !== null && get(r) !== v;
    // ILIKE '%value%'; for "unknown" the Python concatenation '%' + None fails: a 500.
    if (v === null) throw new SqlError("'%' + None");
    return (r) => get(r) !== null && (get(r) as string).toLowerCase().includes(v.toLowerCase());
  }
  throw new ValidationError('unknown type');
}

const isNum = (v: unknown): v is number => typeof v === 'number';

/** `_searchConditionNumToSQL` + `_searchConditionNumValueToSQL`; `scale` is getAge's ×365. */
function numberCondition(sr: Record<string, unknown>, scale: number, get: (r: Row) => number | null): Cond {
  const range = (v: unknown) => {
    if (typeof v !== 'object' || v === null || !('min' in v) || !('max' in v)) throw new ValidationError('not a range');
    const { min, max } = v as { min: unknown; max: unknown };
    if (!isNum(min) || !isNum(max)) throw new ValidationError('range not of numbers');
    return { min: min * scale, max: max * scale };
  };
  const cmp =
    (op: (a: number, b: number) => boolean, b: number): Cond =>
    (r) =>
      get(r) !== null && op(get(r) as number, b);
  switch (sr.type) {
    case 'BETWEEN': {
      const { min, max } = range(sr.value);
      return (r) => get(r) !== null && (get(r) as number) >= min && (get(r) as number) <= max;
    }
    case 'LOWER_THAN':
    case 'GREATER_THAN':
      // A range given to LOWER_THAN / GREATER_THAN: max (≤) or min (≥) is taken, the other ignored.
      if (typeof sr.value === 'object' && sr.value !== null) {
        const { min, max } = range(sr.value);
        return sr.type === 'LOWER_THAN' ? cmp((a, b) => a <= b, max) : cmp((a, b) => a >= b, min);
      }
      if (!isNum(sr.value)) throw new ValidationError('not a number');
      return sr.type === 'LOWER_THAN' ? cmp((a, b) => a < b, sr.value * scale) : cmp((a, b) => a > b, sr.value * scale);
    case 'EQUALS':
    case 'NOT_EQUALS': {
      if (!isNum(sr.value)) throw new ValidationError('not a number');
      const b = sr.value * scale;
      return sr.type === 'EQUALS' ? cmp((a, x) => a === x, b) : cmp((a, x) => a !== x, b);
    }
    default:
      throw new ValidationError('unknown type');
  }
}

const SERIES_KEYS = ['RID10311', 'SNOMEDCT123037004', 'C25392'];

/** One condition; any validation problem inside it makes it `FALSE`, as the real code's try/except does. */
function condition(sr: Record<string, unknown>): Cond {
  try {
    if (!('type' in sr) || !('value' in sr)) throw new ValidationError('missing type or value');
    switch (sr.key) {
      case 'SNOMEDCT263495000':
        return stringCondition(sr, GENDER, (r) => r.study.sex);
      case 'SNOMEDCT423493009':
        return numberCondition(sr, 365, (r) => r.study.ageInDays);
      case 'SNOMEDCT439401001':
        return stringCondition(sr, DIAGNOSIS, (r) => r.study.diagnosis);
      case 'SNOMEDCT432213005':
        return numberCondition(sr, 1, (r) => r.study.diagnosisYear);
      case 'RID10311':
        return stringCondition(sr, MODALITY, (r) => r.series?.modality ?? null);
      case 'SNOMEDCT123037004':
        return stringCondition(sr, BODY_PART, (r) => r.series?.bodyPart ?? null);
      case 'C25392':
        return stringCondition(sr, MANUFACTURER, (r) => r.series?.manufacturer ?? null);
      default:
        throw new ValidationError(`Unkown key '${sr.key}' in condition.`);
    }
  } catch (err) {
    if (err instanceof ValidationError) return FALSE;
    throw err;
  }
}

const exists =
  (c: Cond): Cond =>
  (r) =>
    r.study.series.some((series) => c({ study: r.study, series }));

type Translated = { cond: Cond | ''; series: boolean };

/** `_searchRequestToSQL`: series conditions of one operation go together into one EXISTS. */
function toCondition(sr: unknown): Translated {
  if (typeof sr !== 'object' || sr === null) throw new Error('not an object');
  const node = sr as Record<string, unknown>;
  if ('operand' in node) {
    if (node.operand !== 'AND' && node.operand !== 'OR') throw new ValidationError("unknown value for 'operand'");
    if (!('children' in node)) throw new ValidationError("missing 'children' in operation");
    if (!Array.isArray(node.children)) throw new ValidationError("'children' in operation must be an array");
    if (node.children.length === 0) return { cond: '', series: false };
    const join = (cs: (Cond | '')[]): Cond => {
      // An empty operation among others leaves "( AND x)" or "()" in the SQL: a syntax error.
      if (cs.includes('')) throw new SqlError('empty operation');
      const conds = cs as Cond[];
      return node.operand === 'AND' ? (r) => conds.every((c) => c(r)) : (r) => conds.some((c) => c(r));
    };
    const parts = node.children.map(toCondition);
    const studies = parts.filter((p) => !p.series).map((p) => p.cond);
    const series = parts.filter((p) => p.series).map((p) => p.cond);
    if (studies.length > 0) return { cond: join(series.length > 0 ? [...studies, exists(join(series))] : studies), series: false };
    return { cond: join(series), series: true };
  }
  if ('key' in node) return { cond: condition(node), series: SERIES_KEYS.includes(node.key as string) };
  throw new ValidationError("missing 'operand' or 'key'");
}

/** `DBDatasetsEUCAIMSearcher.eucaimSearchDatasets`. */
export function standInSearch(datasets: StandInDataset[], ast: unknown): object[] {
  const t = toCondition(ast);
  const where: Cond = t.cond === '' ? () => true : t.series ? exists(t.cond) : t.cond;
  return datasets
    .filter((d) => d.published)
    .map((d) => ({ d, hits: d.studies.filter((study) => where({ study })) }))
    .filter(({ hits }) => hits.length > 0)
    .map(({ d, hits }) => ({
      id: d.id,
      name: d.name,
      studies_count: hits.length,
      subjects_count: new Set(hits.map((s) => s.subject)).size,
      // `dict(min = round(low/365) if low != None else 0, max = round(high/365)) if high != None else 0`
      age_range:
        d.ageHighInDays !== null
          ? { min: d.ageLowInDays !== null ? Math.round(d.ageLowInDays / 365) : 0, max: Math.round(d.ageHighInDays / 365) }
          : 0,
      gender: d.sex,
      modality: d.modality,
      body_parts: d.bodyPart,
      description: d.description,
    }));
}

const MIABIS_SEX = { M: 'Male', F: 'Female', O: 'Undifferentiated' } as const;

/**
 * The project's demo data as the mediator would hold it: a study per imaged study, its subject's
 * clinical sex (else DICOM PatientSex), age at diagnosis in days, diagnosis label and year from the
 * clinical row, raw DICOM values per series; the dataset's stored lists as `output_formats.py` spells
 * them. Loaded this way the demo data of seed "x" gives the answer captured from the real service.
 */
export function standInDatasets(plan: DemoPlan, labels: Record<string, string>): StandInDataset[] {
  return plan.datasets.map((d) => {
    const studies: StandInStudy[] = plan.patients
      .filter((p) => p.dataset === d.folder)
      .flatMap((p) => {
        const letter = p.hasClinicalRow ? p.clinicalSex : p.sex === '' ? 'U' : p.sex;
        return p.studies.map((s) => ({
          subject: p.id,
          sex: letter === 'U' ? null : letter,
          ageInDays: p.hasClinicalRow ? p.ageAtDiagnosis * 365 : null,
          diagnosis: p.hasClinicalRow ? (labels[p.diagnosisCode] ?? null) : null,
          diagnosisYear: p.hasClinicalRow ? p.yearOfDiagnosis : null,
          series: s.series.map((r) => ({ modality: r.modality, bodyPart: r.bodyPart || null, manufacturer: r.manufacturer || null })),
        }));
      });
    const ages = studies.flatMap((s) => (s.ageInDays === null ? [] : [s.ageInDays]));
    const sorted = (xs: (string | null)[]) => [...new Set(xs.map((x) => x ?? 'Unknown'))].sort();
    return {
      id: d.id,
      name: d.name,
      description: d.description,
      published: true,
      ageLowInDays: ages.length ? Math.min(...ages) : null,
      ageHighInDays: ages.length ? Math.max(...ages) : null,
      sex: [...new Set(studies.map((s) => (s.sex ? MIABIS_SEX[s.sex] : 'Unkown')))].sort(),
      modality: sorted(studies.flatMap((s) => s.series.map((r) => r.modality))),
      bodyPart: sorted(studies.flatMap((s) => s.series.map((r) => r.bodyPart))),
      studies,
    };
  });
}

export interface MediatorStandIn {
  url: string;
  /** Every call: its Authorization and Content-Type headers and its body. */
  calls: { authorization?: string; contentType?: string; body: string }[];
  /** What the next calls answer instead of searching: garbage, a late answer, or a given status. */
  fault?: 'garbage' | 'slow' | undefined;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
// RESTServer.setErrorResponse: `{error, status_code}`.
const errorReply = (res: ServerResponse, status: number, message: string) => reply(res, status, { error: message, status_code: status });

export async function startMediatorStandIn(opts: { token: string; datasets: StandInDataset[] }): Promise<MediatorStandIn> {
  const calls: MediatorStandIn['calls'] = [];
  const standIn: MediatorStandIn = { url: '', calls, close: async () => {} };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    calls.push({ authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
    // Bottle's own 404/405 go through MyBottle.default_error_handler: the same JSON shape.
    if (req.url !== '/api/datasets/eucaimSearch') return errorReply(res, 404, `Not found: '${req.url}'`);
    if (req.method !== 'POST') return errorReply(res, 405, 'Method not allowed.');
    if (opts.token === '') return errorReply(res, 404, `Not found: '${req.url}'`);
    if (req.headers.authorization !== `Secret ${opts.token}`) return errorReply(res, 401, 'unauthorized user');
    const type = req.headers['content-type']?.split(';')[0]?.trim();
    if (!type) return errorReply(res, 400, "invalid or missing 'Content-Type' header, required 'application/json'");
    if (type !== 'application/json') return errorReply(res, 400, "invalid 'Content-Type' header, required 'application/json'");
    if (standIn.fault === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html>proxy error</html>');
    }
    let rq: unknown;
    try {
      rq = JSON.parse(body);
    } catch (err) {
      return errorReply(res, 400, `Error decoding the body as JSON: ${(err as Error).message}`);
    }
    try {
      if (typeof rq !== 'object' || rq === null || Array.isArray(rq)) throw new ValidationError('The body must be a json object.');
      if (!('ast' in rq)) throw new ValidationError("Missing property 'ast' in the request object.");
      const ast = (rq as { ast: unknown }).ast;
      if (typeof ast !== 'object' || ast === null || Array.isArray(ast))
        throw new ValidationError("The value of property 'ast' must be a json object.");
      const result = standInSearch(opts.datasets, ast);
      const answer = () => reply(res, 200, { collections: result });
      if (standIn.fault === 'slow') setTimeout(answer, 2000);
      else answer();
    } catch (err) {
      if (err instanceof ValidationError) return errorReply(res, 422, `Request validation error: ${err.message}`);
      return errorReply(res, 500, 'Unexpected error, may be the input is wrong');
    }
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return standIn;
}
