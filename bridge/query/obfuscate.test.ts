import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import { generateDemo } from '../demo/generate.ts';
import type { DemoPlan } from '../demo/plan.ts';
import { indexDataDir } from '../index/indexer.ts';
import { openIndexDb } from '../index/schema.ts';
import * as o from '../test-support/plan-oracle.ts';
import { QUERY_CASES } from '../test-support/query-cases.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { Vocabulary } from './vocabulary.ts';
import { answerQuery } from './answer.ts';
import { DEFAULT_PRIVACY, Obfuscator, laplace } from './obfuscate.ts';

const countsOf = (r: CountResult) => [
  r.total.studies_count,
  r.total.subjects_count,
  ...r.collections.flatMap((c) => [c.studies_count, c.subjects_count]),
];

describe('Obfuscator', () => {
  it('keeps true zeros, never shows 1-9 and rounds to steps of 10', () => {
    const obf = new Obfuscator(DEFAULT_PRIVACY);
    for (let n = 0; n <= 300; n++) {
      const v = obf.count(n, `s${n % 7}`);
      if (n === 0) expect(v).toBe(0);
      else {
        expect(v, String(n)).toBeGreaterThanOrEqual(10);
        expect(v % 10).toBe(0);
      }
    }
  });

  it('draws Laplace noise with the configured scale', () => {
    const draws = Array.from({ length: 20_000 }, () => laplace(1 / 0.28));
    const meanAbs = draws.reduce((s, d) => s + Math.abs(d), 0) / draws.length;
    // E|X| of Laplace(0, b) is b = 3.57; 20k draws put the mean within a few percent.
    expect(meanAbs).toBeGreaterThan(3.3);
    expect(meanAbs).toBeLessThan(3.85);
    expect(draws.some((d) => d < 0) && draws.some((d) => d > 0)).toBe(true);
  });

  it('widens age bounds to 5-year bins, and leaves them exact when counts are exact', () => {
    expect(new Obfuscator(DEFAULT_PRIVACY).ageRange(43, 67)).toEqual({ min: 40, max: 69 });
    expect(new Obfuscator(DEFAULT_PRIVACY).ageRange(40, 45)).toEqual({ min: 40, max: 49 });
    expect(new Obfuscator({ ...DEFAULT_PRIVACY, enabled: false }).ageRange(43, 67)).toEqual({ min: 43, max: 67 });
  });

  it('says how it obfuscated, or that it did not', () => {
    expect(new Obfuscator(DEFAULT_PRIVACY).notes()).toEqual({
      applied: true,
      method: 'laplace',
      epsilon: 0.28,
      sensitivity: 1,
      roundingStep: 10,
      smallCountThreshold: 10,
    });
    expect(new Obfuscator({ ...DEFAULT_PRIVACY, enabled: false }).notes()).toEqual({ applied: false });
  });
});

describe('obfuscated answers over a generated corpus', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let plan: DemoPlan;
  const dbPath = () => join(dir.path, 'index.sqlite');

  beforeAll(async () => {
    dir = await tempDir();
    ({ plan } = await generateDemo({ dataDir: join(dir.path, 'data'), seed: 'obfuscation-test' }));
    const db = openIndexDb(dbPath());
    await indexDataDir(db, join(dir.path, 'data'), new Vocabulary());
    db.close();
  });
  afterAll(() => dir?.remove());

  it('never show 1-9, repeat identically, and still do after reopening the index', () => {
    let db = openIndexDb(dbPath());
    const ask = () =>
      QUERY_CASES.map((c) => (answerQuery(db, c.query, new Obfuscator(DEFAULT_PRIVACY, db)) as { result: CountResult }).result);
    const first = ask();
    for (const [i, r] of first.entries()) {
      for (const n of countsOf(r)) expect(n === 0 || (n >= 10 && n % 10 === 0), `${QUERY_CASES[i]?.name}: ${n}`).toBe(true);
      const truth = o.expectedFor(plan, QUERY_CASES[i]!.match);
      expect(r.total.studies_count === 0, QUERY_CASES[i]?.name).toBe(truth.studies_count === 0);
      expect(r.obfuscation?.applied).toBe(true);
    }
    expect(ask()).toEqual(first);
    db.close();
    db = openIndexDb(dbPath());
    expect(ask()).toEqual(first);
    db.close();
  });

  it('never reveal a stratified group smaller than the threshold', () => {
    const db = openIndexDb(dbPath());
    for (const c of QUERY_CASES) {
      const r = (answerQuery(db, c.query, new Obfuscator(DEFAULT_PRIVACY, db)) as { result: CountResult }).result;
      for (const [i, d] of plan.datasets.entries()) {
        const want = o.expectedFor(plan, c.match, d.folder);
        const got = r.collections[i]!;
        for (const code of got.gender ?? []) expect(want.genders[code] ?? 0, `${c.name} ${code}`).toBeGreaterThanOrEqual(10);
        expect(got.gender?.sort()).toEqual(
          Object.keys(want.genders)
            .filter((g) => (want.genders[g] ?? 0) >= 10)
            .sort(),
        );
        if (want.ages.length < 10) expect(got.age_range ?? null, c.name).toBeNull();
        // Bounds widened to 5-year bins: never the exact age of the youngest or oldest subject.
        else
          expect(got.age_range).toEqual({
            min: Math.floor(Math.min(...want.ages) / 5) * 5,
            max: Math.floor(Math.max(...want.ages) / 5) * 5 + 4,
          });
      }
    }
    db.close();
  });
});
