import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { queryTreeSchema } from '../shared/query.ts';
import { UsageError, required, table } from './cli-util.ts';
import { loadPrivacySettings } from './config.ts';
import { type IndexRunSummary, indexDataDir } from './index/indexer.ts';
import { getMeta, openIndexDb } from './index/schema.ts';
import { answerQuery } from './query/answer.ts';
import { Obfuscator } from './query/obfuscate.ts';
import { qualityCsv, qualityReport } from './quality.ts';
import { Vocabulary, loadMappings } from './query/vocabulary.ts';

interface Io {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
}

function printSummary(s: IndexRunSummary, io: Io): void {
  const rows: [string, number][] = [
    ['datasets', s.datasets],
    ['files read', s.filesRead],
    ['files unchanged', s.filesUnchanged],
    ['files deleted', s.filesDeleted],
    ['files skipped', s.skipped.length],
    ['instances', s.instances],
    ['series', s.series],
    ['studies', s.studies],
    ['subjects', s.subjects],
  ];
  io.out(table([['what', 'count'], ...rows.map(([k, v]) => [k, String(v)])]).join('\n'));
  if (s.skipped.length > 0) io.out(`\n${table([['skipped file', 'reason'], ...s.skipped.map((b) => [b.path, b.reason])]).join('\n')}`);
}

/** `index`, `query` and `quality`: the data holder's own look at the index, without a hub. */
export async function dataCommand(command: 'index' | 'query' | 'quality', values: Record<string, unknown>, io: Io): Promise<number> {
  const dbPath = resolve(required(values, 'db'));
  // Usage first, so a mistyped command creates no database file.
  required(values, command === 'query' ? 'ast' : 'data');
  mkdirSync(dirname(dbPath), { recursive: true });
  const db = openIndexDb(dbPath);
  try {
    const vocab = new Vocabulary(await loadMappings(io.env.MAPPINGS_FILE));
    if (command === 'query') {
      const text = await readFile(required(values, 'ast'), 'utf8');
      const json = JSON.parse(text) as { ast?: unknown };
      // Accept the explorer's `{ ast, id }` body as well as a bare tree.
      const parsed = queryTreeSchema.safeParse(json && typeof json === 'object' && 'ast' in json ? json.ast : json);
      if (!parsed.success) throw new UsageError(`--ast: not a query tree (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      // A bridge whose key table changed cannot answer from an index built for the old one.
      if (getMeta(db, 'index_stale')) throw new UsageError('--db: the index was built by another bridge version; run `index` again first');
      const privacy = { ...loadPrivacySettings(io.env), ...(values.exact ? { enabled: false } : {}) };
      const outcome = answerQuery(db, parsed.data, new Obfuscator(privacy, db));
      io.out(JSON.stringify(outcome.status === 'answered' ? outcome.result : outcome, null, 2));
      return outcome.status === 'answered' ? 0 : 1;
    }
    const summary = await indexDataDir(db, resolve(required(values, 'data')), vocab);
    if (command === 'index') {
      if (values.json) io.out(JSON.stringify(summary, null, 2));
      else printSummary(summary, io);
      return 0;
    }
    const report = qualityReport(db, vocab);
    io.out(
      table([
        ['missing header', 'instances', 'examples'],
        ...report.missing.map((m) => [m.field, String(m.instances), m.examples.slice(0, 2).join(' ')]),
      ]).join('\n'),
    );
    if (report.unmapped.length > 0)
      io.out(
        `\n${table([['unmapped', 'value', 'count'], ...report.unmapped.map((u) => [u.source, u.value, String(u.count)])]).join('\n')}`,
      );
    io.out(
      `\n${table([
        ['clinical rows without images', 'patients without clinical row', 'bad files'],
        [String(report.clinicalRowsWithoutImages.length), String(report.patientsWithoutClinicalRow.length), String(report.badFiles.length)],
      ]).join('\n')}`,
    );
    if (typeof values.out === 'string' && values.out) {
      await writeFile(values.out, values.out.endsWith('.csv') ? qualityCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
      io.out(`\nreport written to ${values.out}`);
    }
    return 0;
  } finally {
    db.close();
  }
}
