import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSheet } from 'read-excel-file/node';
import type { Vocabulary } from './vocabulary.ts';
import { CODED_KEYS } from './vocabulary.ts';

/** One clinical row as the index stores it: codes, not the sheet's spelling. */
export interface ClinicalRow {
  patientId: string;
  /** Gender code, undefined when the cell is empty or not understood. */
  gender?: string;
  age?: number;
  diagnosis?: string;
  year?: number;
  /** Cell texts that named no catalogue code, for the quality report. */
  unmapped: { column: string; value: string }[];
}

export const CLINICAL_COLUMNS = ['patientid', 'sex', 'age_at_diagnosis', 'diagnosis', 'year_of_diagnosis'] as const;

/** Splits one CSV line; quotes may wrap a cell and `""` is a quote inside one. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

const num = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

function toRows(table: string[][], vocab: Vocabulary, source: string): ClinicalRow[] {
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = Object.fromEntries(CLINICAL_COLUMNS.map((c) => [c, header.indexOf(c)]));
  if (col.patientid === -1) throw new Error(`${source}: no PatientID column (header: ${CLINICAL_COLUMNS.join(',')})`);
  const rows: ClinicalRow[] = [];
  for (const cells of table.slice(1)) {
    const cell = (name: (typeof CLINICAL_COLUMNS)[number]) => (col[name] === -1 ? '' : String(cells[col[name] as number] ?? '').trim());
    const patientId = cell('patientid');
    if (!patientId) continue;
    const row: ClinicalRow = { patientId, age: num(cell('age_at_diagnosis')), year: num(cell('year_of_diagnosis')), unmapped: [] };
    for (const [column, key, field] of [
      ['sex', CODED_KEYS.gender, 'gender'],
      ['diagnosis', CODED_KEYS.diagnosis, 'diagnosis'],
    ] as const) {
      const text = cell(column);
      if (!text) continue;
      const code = vocab.code(key, text);
      if (code) row[field] = code;
      else row.unmapped.push({ column, value: text });
    }
    rows.push(row);
  }
  return rows;
}

/** Reads `clinical.csv` or `clinical.xlsx` of a dataset folder (csv wins if both exist); none is fine. */
export async function readClinical(datasetDir: string, vocab: Vocabulary): Promise<{ rows: ClinicalRow[]; source?: string }> {
  const csv = join(datasetDir, 'clinical.csv');
  const xlsx = join(datasetDir, 'clinical.xlsx');
  if (existsSync(csv)) {
    const text = (await readFile(csv, 'utf8')).replace(/^\uFEFF/, '');
    const table = text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map(splitCsvLine);
    return { rows: toRows(table, vocab, csv), source: 'clinical.csv' };
  }
  if (existsSync(xlsx)) {
    const sheet = await readSheet(xlsx);
    const table = sheet.map((r) => r.map((c) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c))));
    return { rows: toRows(table, vocab, xlsx), source: 'clinical.xlsx' };
  }
  return { rows: [] };
}
