import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUCAIM_KEYS, filterByKey } from '../../shared/filter-catalogue.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { NO_CONFORMANCE, hasConformance, readConformance } from '../../test/support/conformance.ts';
import {
  type MediatorStandIn,
  type StandInDataset,
  standInDatasets,
  standInSearch,
  startMediatorStandIn,
} from '../../test/support/mediator-stand-in.ts';
import { generateDemo } from '../demo/generate.ts';
import type { DemoPlan } from '../demo/plan.ts';
import { indexDataDir } from '../index/indexer.ts';
import { type Db, openIndexDb } from '../index/schema.ts';
import { SafeJobError } from '../job-handler.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { answerQuery } from './answer.ts';
import { askMediator } from './mediator.ts';
import { DEFAULT_PRIVACY, Obfuscator } from './obfuscate.ts';
import { Vocabulary } from './vocabulary.ts';

const [GENDER, AGE, DX, YEAR, MOD, BODY] = [
  EUCAIM_KEYS.gender,
  EUCAIM_KEYS.ageAtDiagnosis,
  EUCAIM_KEYS.diagnosis,
  EUCAIM_KEYS.yearOfDiagnosis,
  EUCAIM_KEYS.modality,
  EUCAIM_KEYS.bodyPart,
];
const [MALE, FEMALE, UNKNOWN] = ['SNOMEDCT248153007', 'SNOMEDCT248152002', 'SNOMEDCT261665006'];
const [MR, CT, PET, SPECT] = ['RID10312', 'RID10321', 'RID10337', 'RID10334'];
const leaf = (key: string, type: string, value: unknown) => ({ key, type, value }) as QueryNode;
/** Lens's shape: OR of ANDs, each criterion in its own OR. */
const lens = (...groups: QueryNode[][][]): QueryNode => ({
  operand: 'OR',
  children: groups.map((criteria) => ({
    operand: 'AND',
    children: criteria.map((alternatives) => ({ operand: 'OR', children: alternatives })),
  })),
});
const SECRET = 'local-secret';
const LABELS = Object.fromEntries((filterByKey(DX)?.values ?? []).map((v) => [v.code, v.label]));

/** The demo data of seed "x" as the real mediator held it when its answer was captured (../conformance/mediator). */
function capturedDatasets(plan: DemoPlan): StandInDataset[] {
  const datasets = standInDatasets(plan, LABELS);
  const second = datasets[1] as StandInDataset;
  return [
    ...datasets,
    {
      ...second,
      id: 'no-age-ds',
      name: 'Dataset without age information',
      description: 'copy of collection 2 without age range',
      ageLowInDays: null,
      ageHighInDays: null,
    },
  ];
}

describe('the bridge in front of the CHAIMELEON mediator (a stand-in holding the demo data of seed "x")', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let plan: DemoPlan;
  let db: Db;
  let mediator: MediatorStandIn;
  const exact = new Obfuscator({ ...DEFAULT_PRIVACY, enabled: false });
  const vocab = new Vocabulary();

  beforeAll(async () => {
    dir = await tempDir();
    ({ plan } = await generateDemo({ dataDir: join(dir.path, 'data'), seed: 'x' }));
    db = openIndexDb(join(dir.path, 'index.sqlite'));
    await indexDataDir(db, join(dir.path, 'data'), vocab);
    mediator = await startMediatorStandIn({ token: SECRET, datasets: capturedDatasets(plan) });
  });
  afterAll(async () => {
    db?.close();
    await mediator?.close();
    await dir?.remove();
  });

  const settings = (over: Partial<Parameters<typeof askMediator>[0]> = {}) => ({
    url: mediator.url,
    secret: SECRET,
    timeoutMs: 1000,
    ...over,
  });
  const ask = (query: QueryNode, obf = exact, over = {}) => askMediator(settings(over), query, 'srch_test', obf, vocab);
  const answered = async (query: QueryNode, obf = exact) => {
    const a = await ask(query, obf);
    expect(a.status, JSON.stringify(a)).toBe('answered');
    return (a as { result: CountResult }).result;
  };

  it.skipIf(!hasConformance)(
    `stand-in: answers the empty query exactly as the real service did ${hasConformance ? '' : NO_CONFORMANCE}`,
    () => {
      const real = readConformance<{ collections: unknown[] }>('mediator/real_answer_empty_query_with_ageless_dataset.json');
      expect(standInSearch(capturedDatasets(plan), { operand: 'OR', children: [] })).toEqual(real.collections);
    },
  );

  it('posts {ast, id} with the secret and reads the real answer, age_range 0 and labels included', async () => {
    const result = await answered({ operand: 'OR', children: [] });
    const call = mediator.calls.at(-1);
    expect(call?.authorization).toBe(`Secret ${SECRET}`);
    expect(call?.contentType).toBe('application/json');
    expect(JSON.parse(call?.body ?? '')).toEqual({ ast: { operand: 'OR', children: [] }, id: 'srch_test' });
    expect(result.collections.map((c) => [c.id, c.studies_count, c.subjects_count])).toEqual([
      ['842024a9-a218-5763-9c6b-7505fda69b5e', 29, 17],
      ['cb949121-27a6-5cf5-b699-371da4cd7a1e', 37, 16],
      ['no-age-ds', 37, 16],
    ]);
    expect(result.collections[2]?.age_range).toBeNull();
    expect(result.collections[1]?.gender?.sort()).toEqual([MALE, FEMALE, 'SNOMEDCT74964007', UNKNOWN].sort());
    expect(result.collections[0]?.modalities?.sort()).toEqual([MR, CT, PET, SPECT].sort());
    // No total from the mediator: the sum.
    expect(result.total).toEqual({ studies_count: 103, subjects_count: 49 });
  });

  it('obfuscates its counts before they leave the node and drops its whole-dataset lists', async () => {
    const result = await answered(lens([[leaf(GENDER, 'EQUALS', FEMALE)]]), new Obfuscator(DEFAULT_PRIVACY, db));
    for (const n of [result.total.studies_count, ...result.collections.flatMap((c) => [c.studies_count, c.subjects_count])])
      expect(n === 0 || (n >= 10 && n % 10 === 0), String(n)).toBe(true);
    expect(result.collections.every((c) => c.gender === undefined && c.age_range === undefined)).toBe(true);
    expect(result.obfuscation?.applied).toBe(true);
  });

  // Where both read a filter the same way, the bridge's own index and the real mediator agree.
  describe.each<[string, QueryNode]>([
    ['the empty query', { operand: 'OR', children: [] }],
    ['female', lens([[leaf(GENDER, 'EQUALS', FEMALE)]])],
    ['not male (a known sex, another one)', lens([[leaf(GENDER, 'NOT_EQUALS', MALE)]])],
    ['sex unknown (no value)', lens([[leaf(GENDER, 'EQUALS', UNKNOWN)]])],
    ['prostate cancer', lens([[leaf(DX, 'EQUALS', 'SNOMEDCT399068003')]])],
    ['not breast cancer', lens([[leaf(DX, 'NOT_EQUALS', 'SNOMEDCT254837009')]])],
    ['aged 40 to 60', lens([[leaf(AGE, 'BETWEEN', { min: 40, max: 60 })]])],
    ['older than 60', lens([[leaf(AGE, 'GREATER_THAN', 60)]])],
    ['diagnosed from 2018 (one-sided: closed for the mediator)', lens([[leaf(YEAR, 'BETWEEN', { min: 2018 })]])],
    ['diagnosed up to 2017 (Lens 0.4.6: an empty "from" is 0)', lens([[leaf(YEAR, 'BETWEEN', { min: 0, max: 2017 })]])],
    ['MR', lens([[leaf(MOD, 'EQUALS', MR)]])],
    ['MR and CT in one series: none', lens([[leaf(MOD, 'EQUALS', MR)], [leaf(MOD, 'EQUALS', CT)]])],
    ['PET or SPECT, female', lens([[leaf(MOD, 'EQUALS', PET), leaf(MOD, 'EQUALS', SPECT)], [leaf(GENDER, 'EQUALS', FEMALE)]])],
    ['modality IN NM, PT', lens([[leaf(MOD, 'IN', ['RID10334', 'RID10337'])]])],
    ['a series other than CT', lens([[leaf(MOD, 'NOT_EQUALS', CT)]])],
    [
      'female MR or male CT',
      lens([[leaf(GENDER, 'EQUALS', FEMALE)], [leaf(MOD, 'EQUALS', MR)]], [[leaf(GENDER, 'EQUALS', MALE)], [leaf(MOD, 'EQUALS', CT)]]),
    ],
  ])('%s', (name, query) => {
    it('has the same counts per dataset from the own index and from the mediator', async () => {
      const own = answerQuery(db, query, exact) as { result: CountResult };
      const theirs = await answered(query);
      const counts = (r: CountResult) =>
        Object.fromEntries(
          r.collections.filter((c) => c.studies_count > 0 && c.id !== 'no-age-ds').map((c) => [c.id, [c.studies_count, c.subjects_count]]),
        );
      expect(counts(theirs)).toEqual(counts(own.result));
      // Equal because both counted something, except where nothing can match.
      expect(Object.keys(counts(own.result)).length === 0).toBe(name.endsWith('none'));
    });
  });

  describe('never sends the mediator what it refuses or misreads', () => {
    it.each<[string, QueryNode, string[]]>([
      ['NOT (a 422 there)', { operand: 'NOT', children: [leaf(MOD, 'EQUALS', MR)] }, ['NOT']],
      ['XOR', { operand: 'XOR', children: [leaf(MOD, 'EQUALS', MR), leaf(MOD, 'EQUALS', CT)] }, ['XOR']],
      [
        'a key it does not know (silently FALSE there)',
        lens([[leaf('EUCAIM_Hyper-Ontology_V1.0.CLIN1045815', 'EQUALS', 'COM1001310')]]),
        ['EUCAIM_Hyper-Ontology_V1.0.CLIN1045815'],
      ],
      ['a code it does not know (pelvis cancer)', lens([[leaf(DX, 'EQUALS', 'SNOMEDCT363484005')]]), [DX]],
      ['an unknown code in IN (all unknown is a 500 there)', lens([[leaf(MOD, 'IN', ['RID99999'])]]), [MOD]],
    ])('%s: unsupported, and it is not called', async (_name, query, keys) => {
      const before = mediator.calls.length;
      expect(await ask(query)).toEqual({ status: 'unsupported', unsupported_keys: keys });
      expect(mediator.calls.length).toBe(before);
    });

    it('leaves out an empty branch, which is a SQL error there', async () => {
      const vafan = { operand: 'OR' as const, children: [{ operand: 'AND' as const, children: [] }, leaf(MOD, 'EQUALS', MR)] };
      expect(() => standInSearch(capturedDatasets(plan), vafan)).toThrow();
      const result = await answered(vafan);
      expect(JSON.parse(mediator.calls.at(-1)?.body ?? '').ast).toEqual({ operand: 'OR', children: [leaf(MOD, 'EQUALS', MR)] });
      expect(result.total.studies_count).toBeGreaterThan(0);
    });

    it('closes a one-sided range with the filter bounds (one-sided, the mediator matches nothing)', async () => {
      const query = lens([[leaf(AGE, 'BETWEEN', { min: 60 })]]);
      expect(standInSearch(capturedDatasets(plan), query)).toEqual([]);
      const result = await answered(query);
      expect(JSON.parse(mediator.calls.at(-1)?.body ?? '').ast.children[0].children[0].children[0].value).toEqual({ min: 60, max: 130 });
      expect(result.total.studies_count).toBeGreaterThan(0);
    });

    it('sends the pelvis by the code the mediator knows', async () => {
      await answered(lens([[leaf(BODY, 'EQUALS', 'SNOMEDCT12921003')]]));
      expect(JSON.parse(mediator.calls.at(-1)?.body ?? '').ast.children[0].children[0].children[0].value).toBe('SNOMEDCT816092008');
    });
  });

  describe('turns a failing mediator into an error with the reason', () => {
    const reason = async (over: Partial<Parameters<typeof askMediator>[0]>) => {
      const err = await ask({ operand: 'OR', children: [] }, exact, over).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SafeJobError);
      expect((err as SafeJobError).code).toBe('mediator_failed');
      return (err as Error).message;
    };

    it('a wrong secret (401)', async () => {
      expect(await reason({ secret: 'wrong' })).toBe('the local mediator refused the secret (HTTP 401)');
    });

    it('a refused query (422), with its words', async () => {
      const mangle: typeof fetch = (url, init) => fetch(url, { ...init, body: '{"ast": []}' });
      expect(await reason({ fetch: mangle })).toBe(
        "the local mediator refused the query (HTTP 422): Request validation error: The value of property 'ast' must be a json object.",
      );
    });

    it('garbage', async () => {
      mediator.fault = 'garbage';
      try {
        expect(await reason({})).toBe('the local mediator answered with something that is not JSON');
      } finally {
        mediator.fault = undefined;
      }
    });

    it('too late', async () => {
      mediator.fault = 'slow';
      try {
        expect(await reason({ timeoutMs: 300 })).toBe('the local mediator did not answer within 300 ms');
      } finally {
        mediator.fault = undefined;
      }
    });

    it('unreachable', async () => {
      expect(await reason({ url: 'http://127.0.0.1:9' })).toBe('the local mediator could not be reached');
    });
  });
});
