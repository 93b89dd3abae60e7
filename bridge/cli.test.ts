import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519PublicJwkSchema } from '../shared/node-auth.ts';
import { runCli } from './commands.ts';
import { planDemo } from './demo/plan.ts';
import { loadNodeKey, publicJwkOf } from './keys.ts';
import { tempDir } from './test-support/temp-dir.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('bridge CLI', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it('enrol writes the private key with mode 600 and prints only the public half', async () => {
    const keyFile = join(dir.path, 'keys', 'node-a.json');
    const res = await cli('enrol', '--node-id', 'node-a', '--key-file', keyFile);
    expect(res.code, res.err).toBe(0);
    const printed = JSON.parse(res.out);
    expect(printed.nodeId).toBe('node-a');
    expect(ed25519PublicJwkSchema.strict().parse(printed.publicJwk)).toEqual(printed.publicJwk);
    expect(res.out + res.err).not.toContain('"d"');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const privateJwk = await loadNodeKey(keyFile);
    expect(publicJwkOf(privateJwk)).toEqual(printed.publicJwk);
    expect(res.out).not.toContain(privateJwk.d);
  });

  it('enrol refuses to overwrite a key unless --force', async () => {
    const keyFile = join(dir.path, 'node-b.json');
    expect((await cli('enrol', '--node-id', 'node-b', '--key-file', keyFile)).code).toBe(0);
    const before = await readFile(keyFile, 'utf8');
    const again = await cli('enrol', '--node-id', 'node-b', '--key-file', keyFile);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; pass --force/);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
    const forced = await cli('enrol', '--node-id', 'node-b', '--key-file', keyFile, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(await readFile(keyFile, 'utf8')).not.toBe(before);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('enrol refuses an invalid node id', async () => {
    const res = await cli('enrol', '--node-id', 'Node_A', '--key-file', join(dir.path, 'x.json'));
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/invalid node id "Node_A"/);
  });

  it('loadNodeKey warns when others can read the key', async () => {
    const keyFile = join(dir.path, 'loose.json');
    await cli('enrol', '--node-id', 'node-c', '--key-file', keyFile);
    await chmod(keyFile, 0o644);
    const warnings: string[] = [];
    await loadNodeKey(keyFile, (w) => warnings.push(w));
    expect(warnings).toEqual([`KEY_FILE ${keyFile} has mode 644; others can read it: make it 600 (or 440 for a group)`]);
    // Read by a group only (a Kubernetes secret with fsGroup): no warning.
    await chmod(keyFile, 0o440);
    const quiet: string[] = [];
    await loadNodeKey(keyFile, (w) => quiet.push(w));
    expect(quiet).toEqual([]);
  });

  it('generate-demo then index prints the summary and the skipped files as a table, reading only changes the second time', async () => {
    const data = join(dir.path, 'data');
    const db = join(dir.path, 'state', 'index.sqlite');
    const gen = await cli('generate-demo', '--data', data, '--seed', 'cli-seed');
    expect(gen.code, gen.err).toBe(0);
    const files = Number(/wrote (\d+) DICOM files/.exec(gen.out)?.[1]);
    await writeFile(join(data, 'collection-1', 'readme.txt'), 'a note somebody left in the data folder\n'.repeat(8));
    const res = await cli('index', '--data', data, '--db', db);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(new RegExp(`^files read +${files + 1}$`, 'm'));
    expect(res.out).toMatch(new RegExp(`^instances +${files}$`, 'm'));
    expect(res.out).toMatch(/^files skipped +1$/m);
    expect(res.out).toMatch(/^collection-1\/readme\.txt +not DICOM Part 10 \(no DICM prefix\)$/m);
    const again = await cli('index', '--data', data, '--db', db, '--json');
    expect(JSON.parse(again.out)).toMatchObject({ filesRead: 0, filesUnchanged: files + 1, instances: files });
  });

  it('query prints the mediator answer, obfuscated unless --exact', async () => {
    const db = join(dir.path, 'state', 'index.sqlite');
    const ast = join(dir.path, 'mr.json');
    await writeFile(
      ast,
      JSON.stringify({ ast: { operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }, id: 'x' }),
    );
    const plan = planDemo('cli-seed');
    const mr = plan.patients.flatMap((p) => p.studies).filter((s) => s.series.some((r) => r.modality === 'MR')).length;
    const exact = await cli('query', '--db', db, '--ast', ast, '--exact');
    expect(exact.code, exact.err).toBe(0);
    expect(JSON.parse(exact.out)).toMatchObject({ total: { studies_count: mr }, obfuscation: { applied: false } });
    const obfuscated = JSON.parse((await cli('query', '--db', db, '--ast', ast)).out);
    expect(obfuscated.total.studies_count % 10).toBe(0);
    expect(obfuscated.obfuscation.applied).toBe(true);
    await writeFile(ast, JSON.stringify({ key: 'CLIN1045815', type: 'EQUALS', value: 'COM1001310' }));
    const unsupported = await cli('query', '--db', db, '--ast', ast);
    expect(unsupported.code).toBe(1);
    expect(JSON.parse(unsupported.out)).toEqual({ status: 'unsupported', unsupported_keys: ['CLIN1045815'] });
  });

  it('quality prints the findings and writes them as JSON or CSV', async () => {
    const data = join(dir.path, 'data');
    const db = join(dir.path, 'state', 'index.sqlite');
    const plan = planDemo('cli-seed');
    const out = join(dir.path, 'report.json');
    const res = await cli('quality', '--data', data, '--db', db, '--out', out);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/^missing header +instances +examples$/m);
    const report = JSON.parse(await readFile(out, 'utf8'));
    const imaged = plan.patients.filter((p) => p.studies.length > 0);
    expect(report.clinicalRowsWithoutImages.map((r: { patientId: string }) => r.patientId).sort()).toEqual(
      plan.patients
        .filter((p) => p.hasClinicalRow && p.studies.length === 0)
        .map((p) => p.id)
        .sort(),
    );
    expect(report.patientsWithoutClinicalRow.map((r: { patientId: string }) => r.patientId).sort()).toEqual(
      imaged
        .filter((p) => !p.hasClinicalRow)
        .map((p) => p.id)
        .sort(),
    );
    const noManufacturer = imaged
      .flatMap((p) => p.studies.flatMap((s) => s.series))
      .filter((r) => r.manufacturer === '')
      .reduce((n, r) => n + r.instanceUids.length, 0);
    expect(report.missing.find((m: { field: string }) => m.field === 'Manufacturer').instances).toBe(noManufacturer);
    // Canon is no manufacturer of the catalogue (not Toshiba): listed for the data holder's mapping file.
    expect(report.unmapped).toContainEqual(expect.objectContaining({ source: 'Manufacturer', value: 'Canon Medical Systems' }));
    expect(report.badFiles).toEqual([{ path: 'collection-1/readme.txt', reason: 'not DICOM Part 10 (no DICM prefix)' }]);
    const csvOut = join(dir.path, 'report.csv');
    await cli('quality', '--data', data, '--db', db, '--out', csvOut);
    const csv = await readFile(csvOut, 'utf8');
    expect(csv.split('\n')[0]).toBe('section,dataset,item,detail,count');
    expect(csv).toMatch(/^bad file,collection-1,collection-1\/readme\.txt,not DICOM Part 10 \(no DICM prefix\),1$/m);
  });

  it('start fails fast naming the missing settings', async () => {
    const res = await cli('start');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/NODE_ID is missing; HUB_URL is missing; KEY_FILE is missing/);
  });

  it.each([[['frobnicate']], [['enrol', '--node-id', 'node-a']], [['index', '--bogus']], [['query', '--db', 'x.sqlite']]])(
    'usage errors exit 2: %j',
    async (argv) => {
      const res = await cli(...argv);
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/usage: bridge <command>/);
    },
  );
});
