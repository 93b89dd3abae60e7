import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexDataDir } from '../index/indexer.ts';
import { openIndexDb } from '../index/schema.ts';
import { Vocabulary } from '../query/vocabulary.ts';
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
    // DICOM files, one clinical sheet per dataset, datasets.json
    expect(a1.size).toBe(first.files + first.plan.datasets.length + 1);
    expect(a2).toEqual(a1);
  });

  it('gives different data for a different seed', async () => {
    const a = planDemo('node-a');
    const b = planDemo('node-b');
    expect(b.datasets[0]?.id).not.toBe(a.datasets[0]?.id);
    expect(b.patients.map((p) => p.id)).not.toEqual(a.patients.map((p) => p.id));
    expect(b.datasets[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('stays within the documented shape', () => {
    const plan = planDemo('node-a');
    expect(plan.datasets.map((d) => d.clinicalFile)).toEqual(['clinical.csv', 'clinical.xlsx']);
    expect(plan.patients.length).toBeGreaterThanOrEqual(24);
    expect(plan.patients.length).toBeLessThanOrEqual(44);
    // The corpus must hold the awkward cases the semantics and the quality report are about.
    expect(plan.patients.some((p) => p.studies.length === 0 && p.hasClinicalRow)).toBe(true);
    expect(plan.patients.some((p) => p.studies.length > 0 && !p.hasClinicalRow)).toBe(true);
    expect(plan.patients.some((p) => p.sex === '' && p.clinicalSex !== 'U')).toBe(true);
    for (const p of plan.patients) {
      expect(p.studies.length).toBeGreaterThanOrEqual(0);
      expect(p.studies.length).toBeLessThanOrEqual(3);
      for (const s of p.studies) for (const r of s.series) expect(['MR', 'CT', 'PT', 'NM']).toContain(r.modality);
    }
  });

  it('skips when datasets.json exists', async () => {
    const again = await generateDemo({ dataDir: join(root.path, 'a1'), seed: 'node-a' });
    expect(again).toMatchObject({ skipped: true, files: 0 });
  });

  it('writes datasets.json and a clinical sheet per dataset that agree with the plan', async () => {
    const plan = planDemo('node-a');
    const first = plan.datasets[0]!;
    const csv = (await readFile(join(root.path, 'a1', first.folder, 'clinical.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('PatientID,sex,age_at_diagnosis,diagnosis,year_of_diagnosis');
    const withRow = plan.patients.filter((p) => p.dataset === first.folder && p.hasClinicalRow);
    expect(csv.length).toBe(withRow.length + 1);
    expect(csv[1]?.split(',')[0]).toBe(withRow[0]?.id);
    expect(csv[1]?.split(',')[2]).toBe(String(withRow[0]?.ageAtDiagnosis));
    const described = JSON.parse(await readFile(join(root.path, 'a1', 'datasets.json'), 'utf8'));
    expect(described[first.folder]).toEqual({ id: first.id, name: first.name, description: first.description });
    expect((await readdir(join(root.path, 'a1', plan.datasets[1]!.folder))).includes('clinical.xlsx')).toBe(true);
  });

  it('produces files the indexer reads completely', async () => {
    const plan = planDemo('node-a');
    const db = openIndexDb(':memory:');
    const summary = await indexDataDir(db, join(root.path, 'a1'), new Vocabulary());
    db.close();
    const studies = plan.patients.flatMap((p) => p.studies);
    const series = studies.flatMap((s) => s.series);
    expect(summary.skipped).toEqual([]);
    expect(summary).toMatchObject({
      datasets: 2,
      subjects: plan.patients.filter((p) => p.studies.length > 0).length,
      studies: studies.length,
      series: series.length,
      instances: series.reduce((n, s) => n + s.instanceUids.length, 0),
    });
  });
});
