import { mkdtemp, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openIndexDb } from '../index/schema.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { planInputs, safeSegment } from './layout.ts';
import { materialise } from './materialise.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
let db: Db;
let dataDir: string;

async function addFile(path: string, patient: string, series = '1.2.3', modality: string | null = 'CT') {
  await mkdir(join(dataDir, path, '..'), { recursive: true });
  await writeFile(join(dataDir, path), `bytes of ${path}`);
  db.prepare(
    `INSERT INTO files (path, dataset, size, mtime_ms, patient_id, study_uid, series_uid, modality) VALUES (?, 'folder-a', 1, 1, ?, '9.8', ?, ?)`,
  ).run(path, patient, series, modality);
}

beforeEach(async () => {
  dir = await tempDir('materialise-');
  dataDir = join(dir.path, 'data');
  db = openIndexDb(join(dir.path, 'index.sqlite'));
  db.prepare(`INSERT INTO q_datasets (idx, folder, id, name) VALUES (0, 'folder-a', 'ds-a', 'A')`).run();
  await addFile('folder-a/p1/a.dcm', 'P1');
  await addFile('folder-a/p1/b.dcm', 'P1', '1.2.4', null);
  await addFile('folder-a/p2/a.dcm', 'P2');
});
afterEach(async () => {
  db.close();
  await dir.remove();
});

const uri = (...path: string[]) => ({ nodeId: 'node-a', dataset: 'ds-a', path });

describe('materialising inputs', () => {
  it('hard-links the indexed files into the eucaimdir layout', async () => {
    const plan = planInputs(db, [uri()]);
    if (!plan.ok) throw new Error(plan.problem);
    expect(plan.files.map((f) => f.target)).toEqual([
      'ds-a/P1/9.8/1.2.3_CT/a.dcm',
      'ds-a/P1/9.8/1.2.4_OT/b.dcm',
      'ds-a/P2/9.8/1.2.3_CT/a.dcm',
    ]);
    const input = join(dir.path, 'input');
    expect(await materialise(dataDir, input, plan.files)).toEqual({ linked: 3, copied: 0, skipped: 0 });
    const [src, dst] = await Promise.all([stat(join(dataDir, 'folder-a/p1/a.dcm')), stat(join(input, 'ds-a/P1/9.8/1.2.3_CT/a.dcm'))]);
    expect(dst.ino).toBe(src.ino);
  });

  it('copies when the sandbox is on another file system', async () => {
    const plan = planInputs(db, [uri('P2')]);
    if (!plan.ok) throw new Error(plan.problem);
    const input = await mkdtemp('/dev/shm/materialise-');
    try {
      expect(await materialise(dataDir, input, plan.files)).toEqual({ linked: 0, copied: 1, skipped: 0 });
      expect(await readFile(join(input, 'ds-a/P2/9.8/1.2.3_CT/a.dcm'), 'utf8')).toBe('bytes of folder-a/p2/a.dcm');
    } finally {
      await rm(input, { recursive: true, force: true });
    }
  });

  it('keeps header values that look like paths inside the sandbox', async () => {
    await addFile('folder-a/p3/x.dcm', '../../../etc', '../..', '/');
    const plan = planInputs(db, [uri()]);
    if (!plan.ok) throw new Error(plan.problem);
    const input = join(dir.path, 'input');
    for (const f of plan.files) expect(resolve(input, f.target).startsWith(input + sep), f.target).toBe(true);
    expect(plan.files.map((f) => f.target)).toContain('ds-a/_._.._.._etc/9.8/_._..__/x.dcm');
    expect(safeSegment('..', 'x')).toBe('_.');
  });

  it('skips a data file that became a symlink since indexing, rather than follow it', async () => {
    await rm(join(dataDir, 'folder-a/p2/a.dcm'));
    await symlink('/etc/passwd', join(dataDir, 'folder-a/p2/a.dcm'));
    const plan = planInputs(db, [uri('P2')]);
    if (!plan.ok) throw new Error(plan.problem);
    expect(await materialise(dataDir, join(dir.path, 'input'), plan.files, { copy: true })).toEqual({ linked: 0, copied: 0, skipped: 1 });
  });

  it('skips files whose folder became a symlink to somewhere outside the data folder', async () => {
    const outside = join(dir.path, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'a.dcm'), 'not data');
    await rm(join(dataDir, 'folder-a/p2'), { recursive: true });
    await symlink(outside, join(dataDir, 'folder-a/p2'));
    const plan = planInputs(db, [uri('P2')]);
    if (!plan.ok) throw new Error(plan.problem);
    expect(await materialise(dataDir, join(dir.path, 'input'), plan.files, { copy: true })).toEqual({ linked: 0, copied: 0, skipped: 1 });
  });

  it('refuses a dataset or subject the node does not hold', () => {
    expect(planInputs(db, [{ ...uri(), dataset: 'ds-z' }])).toEqual({ ok: false, problem: 'dataset ds-z is not on this node' });
    expect(planInputs(db, [uri('P9')])).toEqual({ ok: false, problem: 'nothing under ds-a/P9 on this node' });
  });
});
