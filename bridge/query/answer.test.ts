import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { generateDemo } from '../demo/generate.ts';
import type { DemoPlan } from '../demo/plan.ts';
import { indexDataDir } from '../index/indexer.ts';
import { type Db, openIndexDb } from '../index/schema.ts';
import * as o from '../test-support/plan-oracle.ts';
import { AGE, GENDER, MOD, MR, QUERY_CASES, SPECT, and, leaf, not, or } from '../test-support/query-cases.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { Vocabulary } from './vocabulary.ts';
import { answerQuery } from './answer.ts';
import { DEFAULT_PRIVACY, Obfuscator } from './obfuscate.ts';

describe('answerQuery over a generated corpus', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let plan: DemoPlan;
  let db: Db;
  const exact = new Obfuscator({ ...DEFAULT_PRIVACY, enabled: false });

  beforeAll(async () => {
    dir = await tempDir();
    ({ plan } = await generateDemo({ dataDir: join(dir.path, 'data'), seed: 'answer-test' }));
    db = openIndexDb(join(dir.path, 'index.sqlite'));
    await indexDataDir(db, join(dir.path, 'data'), new Vocabulary());
  });
  afterAll(async () => {
    db?.close();
    await dir?.remove();
  });

  describe.each(QUERY_CASES)('exact counts: $name', ({ query, match }) => {
    it('match the independent computation per dataset and in total', () => {
      const outcome = answerQuery(db, query, exact);
      expect(outcome.status).toBe('answered');
      const result = (outcome as { result: CountResult }).result;
      const total = o.expectedFor(plan, match);
      expect(result.total, JSON.stringify(query)).toEqual({ studies_count: total.studies_count, subjects_count: total.subjects_count });
      expect(result.collections.map((c) => c.id)).toEqual(plan.datasets.map((d) => d.id));
      for (const [i, d] of plan.datasets.entries()) {
        const want = o.expectedFor(plan, match, d.folder);
        const got = result.collections[i]!;
        expect({ studies: got.studies_count, subjects: got.subjects_count }, d.folder).toEqual({
          studies: want.studies_count,
          subjects: want.subjects_count,
        });
        expect(got.gender?.slice().sort(), d.folder).toEqual(Object.keys(want.genders).sort());
        expect(got.age_range ?? null).toEqual(want.ages.length ? { min: Math.min(...want.ages), max: Math.max(...want.ages) } : null);
      }
      expect(result.obfuscation).toEqual({ applied: false });
    });
  });

  it('the table really filters: MR is some but not all studies', () => {
    const all = o.expectedFor(plan, () => true).studies_count;
    const mr = o.expectedFor(plan, (_, s) => o.hasModality(s, MR)).studies_count;
    expect(mr).toBeGreaterThan(0);
    expect(mr).toBeLessThan(all);
  });

  it('lists series-level codes only as far as the matching studies hold them', () => {
    const outcome = answerQuery(db, leaf(MOD, 'EQUALS', SPECT), exact) as { result: CountResult };
    for (const c of outcome.result.collections) if (c.studies_count > 0) expect(c.modalities).toContain(SPECT);
    const none = answerQuery(db, and(leaf(MOD, 'EQUALS', SPECT), leaf(MOD, 'NOT_EQUALS', SPECT)), exact) as { result: CountResult };
    expect(none.result.collections.every((c) => c.studies_count === 0 && c.modalities?.length === 0)).toBe(true);
  });

  describe.each<{ name: string; query: QueryNode; keys: string[] }>([
    {
      name: 'a key the bridge has no data for',
      query: and(leaf(MOD, 'EQUALS', MR), leaf('CLIN1045815', 'EQUALS', 'COM1001310')),
      keys: ['CLIN1045815'],
    },
    { name: 'a key outside the catalogue', query: leaf('X-UNKNOWN', 'EQUALS', 'x'), keys: ['X-UNKNOWN'] },
    { name: 'an operator the key cannot take', query: leaf(MOD, 'CONTAINS', 'M'), keys: [MOD] },
    {
      name: 'a value of the wrong type',
      query: or(leaf(AGE, 'EQUALS', 'forty'), leaf(GENDER, 'BETWEEN', { min: 1 })),
      keys: [GENDER, AGE],
    },
    { name: 'a code the catalogue does not have', query: not(leaf(MOD, 'EQUALS', 'RID99999')), keys: [MOD] },
  ])('unsupported: $name', ({ query, keys }) => {
    it('answers with the keys and no counts', () => {
      expect(answerQuery(db, query, exact)).toEqual({ status: 'unsupported', unsupported_keys: keys });
    });
  });
});
