import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../index/build-index.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { generateDemo } from './generate.ts';
import { planDemo } from './plan.ts';

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length), (await readFile(path)).toString('base64'));
    }
  }
  return out;
}

describe('generate-demo', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir();
  });
  afterAll(() => root.remove());

  it('writes the same bytes for the same seed, quickly', async () => {
    const started = Date.now();
    const first = await generateDemo({ dataDir: join(root.path, 'a1'), seed: 'node-a' });
    expect(Date.now() - started).toBeLessThan(2000);
    await generateDemo({ dataDir: join(root.path, 'a2'), seed: 'node-a' });
    const [a1, a2] = await Promise.all([snapshot(join(root.path, 'a1')), snapshot(join(root.path, 'a2'))]);
    expect(a1.size).toBe(first.files + 2);
    expect(a2).toEqual(a1);
  });

  it('gives different data for a different seed', async () => {
    const a = planDemo('node-a');
    const b = planDemo('node-b');
    expect(b.dataset.id).not.toBe(a.dataset.id);
    expect(b.patients.map((p) => p.id)).not.toEqual(a.patients.map((p) => p.id));
    expect(b.dataset.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('stays within the documented shape', () => {
    const plan = planDemo('node-a');
    expect(plan.patients.length).toBeGreaterThanOrEqual(20);
    expect(plan.patients.length).toBeLessThanOrEqual(40);
    for (const p of plan.patients) {
      expect(p.studies.length).toBeGreaterThanOrEqual(1);
      expect(p.studies.length).toBeLessThanOrEqual(3);
      for (const s of p.studies) for (const r of s.series) expect(['MR', 'CT', 'PT', 'NM']).toContain(r.modality);
    }
  });

  it('skips when dataset.json exists', async () => {
    const again = await generateDemo({ dataDir: join(root.path, 'a1'), seed: 'node-a' });
    expect(again).toMatchObject({ skipped: true, files: 0 });
  });

  it('writes clinical.csv and dataset.json that agree with the plan', async () => {
    const plan = planDemo('node-a');
    const csv = (await readFile(join(root.path, 'a1', 'clinical.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('patient_id,sex,age_at_diagnosis,diagnosis_code,year_of_diagnosis');
    expect(csv.length).toBe(plan.patients.length + 1);
    const first = plan.patients[0]!;
    expect(csv[1]).toBe(`${first.id},${first.sex},${first.ageAtDiagnosis},${first.diagnosisCode},${first.yearOfDiagnosis}`);
    expect(JSON.parse(await readFile(join(root.path, 'a1', 'dataset.json'), 'utf8'))).toEqual(plan.dataset);
  });

  it('produces files the indexer reads completely', async () => {
    const plan = planDemo('node-a');
    const index = await buildIndex(join(root.path, 'a1'));
    const studies = plan.patients.flatMap((p) => p.studies);
    const series = studies.flatMap((s) => s.series);
    expect(index.badFiles()).toEqual([]);
    expect(index.summary()).toMatchObject({
      patients: plan.patients.length,
      studies: studies.length,
      series: series.length,
      instances: series.reduce((n, s) => n + s.instanceUids.length, 0),
    });
  });
});
