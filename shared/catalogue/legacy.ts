// Reading dataset metadata written before EUCAIM DCAT-AP v2.0, for one release: registrations,
// changes and browse filters that still send the old codes and field forms are rewritten to the
// v2.0 ones before validation; the migration `*_eucaim_dcat_ap_v2` rewrites stored records the same
// way (its SQL mirrors `upgradeMetadata`, and a test holds the two equal). What cannot be carried
// over is said in the README (catalogue model, "From the pre-v2.0 model").
import { HYPER_ONTOLOGY_CODE } from './hyper-ontology.ts';
import {
  BIRTH_SEXES,
  BODY_PARTS,
  COLLECTION_METHODS,
  CONDITIONS,
  currentCode,
  DATASET_TYPES,
  HEALTH_CATEGORIES,
  MANUFACTURERS,
  MODALITIES,
  TIERS,
  type Vocabulary,
} from './vocabularies.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Code fields and their vocabularies: a legacy code becomes the current one; anything else is kept for validation to name. */
const CODE_FIELDS: [string, Vocabulary][] = [
  ['tier', TIERS],
  ['condition', CONDITIONS],
  ['type', DATASET_TYPES],
  ['healthCategory', HEALTH_CATEGORIES],
  ['collectionMethod', COLLECTION_METHODS],
  ['modalities', MODALITIES],
  ['manufacturers', MANUFACTURERS],
  ['bodyParts', BODY_PARTS],
  ['birthSex', BIRTH_SEXES],
];
const ARRAY_FIELDS = new Set(['type', 'healthCategory', 'collectionMethod', 'modalities', 'manufacturers', 'bodyParts', 'birthSex']);

const upgradeCode = (v: Vocabulary, value: unknown) => (typeof value === 'string' ? (currentCode(v, value) ?? value) : value);
const unique = <T>(values: T[]) => [...new Set(values)];

/** Metres from the old free-text resolution ("0.5 x 0.5 x 3 mm"): the smallest value, in its unit. */
export function metresFromText(text: string): number | undefined {
  const numbers = [...text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  if (!numbers.length) return undefined;
  const unit = /\b(mm|cm|µm|um|m)\b/i.exec(text)?.[1]?.toLowerCase() ?? 'mm';
  const factor = { mm: 1e-3, cm: 1e-2, µm: 1e-6, um: 1e-6, m: 1 }[unit] ?? 1e-3;
  return Number((Math.min(...numbers) * factor).toPrecision(6));
}

const DURATION = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * Pre-v2.0 metadata (whole or partial) in the v2.0 form. Already-current metadata comes back equal.
 * `dataset` gives the fields a partial change does not carry (the record it changes).
 */
export function upgradeMetadata(input: unknown, dataset?: Json): unknown {
  if (!isObject(input)) return input;
  const m: Json = { ...input };
  for (const [field, v] of CODE_FIELDS) {
    if (!(field in m)) continue;
    const value = ARRAY_FIELDS.has(field) && typeof m[field] === 'string' ? [m[field]] : m[field];
    m[field] = Array.isArray(value) ? unique(value.map((x) => upgradeCode(v, x))) : upgradeCode(v, value);
  }
  // Birth sexes the ontology has no term for (other, unknown) cannot be carried over.
  if (Array.isArray(m.birthSex) && m.birthSex.some((c) => currentCode(BIRTH_SEXES, String(c)))) {
    m.birthSex = m.birthSex.filter((c) => currentCode(BIRTH_SEXES, String(c)));
  }
  // hdab was a bare name; v2.0 wants an agent with a contact point, and no placeholder.
  if (typeof m.hdab === 'string') delete m.hdab;
  // The publisher's contact point became mandatory: the dataset's own contact point stands in.
  const contact = (m.contactPoint ?? dataset?.contactPoint) as Json | undefined;
  if (isObject(m.publisher) && !m.publisher.email && !m.publisher.url && contact) {
    m.publisher = { ...m.publisher, ...(contact.email ? { email: contact.email } : contact.url ? { url: contact.url } : {}) };
  }
  const legislation = m.applicableLegislation ?? dataset?.applicableLegislation;
  if (Array.isArray(m.distributions)) {
    m.distributions = m.distributions.map((d) =>
      isObject(d) && !('applicableLegislation' in d) && Array.isArray(legislation) ? { ...d, applicableLegislation: legislation } : d,
    );
  }
  if (typeof m.spatialResolution === 'string') {
    const metres = metresFromText(m.spatialResolution);
    if (metres === undefined) delete m.spatialResolution;
    else m.spatialResolution = metres;
  }
  if (typeof m.temporalResolution === 'string' && !DURATION.test(m.temporalResolution)) delete m.temporalResolution;
  if (isObject(m.segmentation)) upgradeSegmentation(m);
  return m;
}

/** Free-text segmentation labels become keywords, the free-text method a provenance note; codes stay. */
function upgradeSegmentation(m: Json) {
  const seg = m.segmentation as Json;
  const labels = Array.isArray(seg.labels) ? seg.labels.map(String) : [];
  const words = labels.filter((l) => !HYPER_ONTOLOGY_CODE.test(l));
  if (!words.length && typeof seg.method !== 'string') return;
  const next: Json = { ...seg };
  delete next.method;
  const codes = labels.filter((l) => HYPER_ONTOLOGY_CODE.test(l));
  if (codes.length) next.labels = codes;
  else delete next.labels;
  if (words.length && Array.isArray(m.keywords)) m.keywords = unique([...m.keywords.map(String), ...words]).slice(0, 50);
  if (typeof seg.method === 'string' && typeof m.provenance === 'string')
    m.provenance = `${m.provenance} Segmentation method: ${seg.method}.`;
  m.segmentation = next;
  if (!Object.keys(next).length) delete m.segmentation;
}

/** A browse filter value in the current code (old codes keep working for one release). */
export const upgradeFilterValue = (v: Vocabulary, value: string) => currentCode(v, value) ?? value;
