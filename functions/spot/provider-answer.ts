import { EUCAIM_KEYS, catalogueValue, filterByKey } from '../../shared/filter-catalogue.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import { obfuscationNote } from '../search/search-report.ts';
import type { SearchView } from '../search/search-view.ts';

type NodeView = SearchView['nodes'][number];

/** The hub's own provider icon (a 16x16 PNG ring), since Focus always sends one (its `default_provider_icon`). */
export const HUB_PROVIDER_ICON =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAMAAAAoLQ9TAAAABlBMVEX///8AR7lYRwGUAAAAAXRSTlMAQObYZgAAACtJREFUeNpjYMAGGKEAnQ8TYWREFcFgoCqFUEiGkS2AYSg2+3E4FZfnUAAAQNAAeQokQyQAAAAASUVORK5CYII=';

const ages = filterByKey(EUCAIM_KEYS.ageAtDiagnosis);
/**
 * Shown where a node withheld the ages (a group under its threshold): the catalogue's whole age range,
 * which says nothing about the group. The explorer reads `age_range.min` without a check, so it is
 * never null here (nor the CHAIMELEON mediator's `0`, which it would print as "undefined").
 */
export const WITHHELD_AGE_RANGE = { min: ages?.min ?? 0, max: ages?.max ?? 130 };

const label = (key: string, code: string) => {
  const filter = filterByKey(key);
  return (filter && catalogueValue(filter, code)?.label) ?? code;
};

/**
 * One dataset as the EUCAIM explorer reads it (eucaim-frontend `src/Types/types.ts` and its result
 * table): counts, `age_range.min/max`, and `gender`, `modalities`, `body_parts` it `.join`s — always
 * arrays, with the catalogue's labels ("Male", "MR", "Prostate") as the real providers show them.
 */
export function explorerCollection(c: CountResult['collections'][number]) {
  return {
    id: c.id,
    name: c.name,
    description: c.description ?? '',
    studies_count: c.studies_count,
    subjects_count: c.subjects_count,
    age_range: c.age_range ?? WITHHELD_AGE_RANGE,
    gender: (c.gender ?? []).map((g) => label(EUCAIM_KEYS.gender, g)),
    modalities: (c.modalities ?? []).map((m) => label(EUCAIM_KEYS.modality, m)),
    body_parts: (c.body_parts ?? []).map((b) => label(EUCAIM_KEYS.bodyPart, b)),
    manufacturers: (c.manufacturers ?? []).map((m) => label(EUCAIM_KEYS.manufacturer, m)),
  };
}

/**
 * A node's answer as a Focus site sends it to the explorer (`{provider, provider_icon, collections}`,
 * Focus `src/main.rs` EucaimResponse, base64 in the Beam result's body), with the total and how the
 * counts were obfuscated added: the explorer ignores fields it does not know.
 */
export function providerAnswer(node: NodeView) {
  const result = node.result;
  return {
    provider: node.name,
    provider_icon: HUB_PROVIDER_ICON,
    collections: (result?.collections ?? []).map(explorerCollection),
    total: result?.total ?? { subjects_count: 0, studies_count: 0 },
    obfuscation_note: obfuscationNote(result?.obfuscation),
  };
}
export type ProviderAnswer = ReturnType<typeof providerAnswer>;
