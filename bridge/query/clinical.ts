import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSheet } from 'read-excel-file/node';
import type { Vocabulary } from './vocabulary.ts';

/** One clinical row as the index stores it: per key column a code or a number, never the sheet's spelling. */
export interface ClinicalRow {
  patientId: string;
  values: Record<string, string | number>;
  /** Cell texts that named no catalogue code (or no number), for the quality report. */
  unmapped: { column: string; value: string }[];
}

export interface ClinicalSheet {
  rows: ClinicalRow[];
  source?: string;
  /** Key columns (of the key table) the sheet has a header for: the keys this dataset can answer. */
  columns: string[];
}

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

/** Reads the columns the key table names (PatientID plus each key's sheet columns, header in any case). */
function toSheet(table: string[][], vocab: Vocabulary, source: string): ClinicalSheet {
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => header.indexOf(name);
  if (at('patientid') === -1) throw new Error(`${source}: no PatientID column`);
  const keys = vocab.keys.patient.filter((k) => k.sheet?.some((c) => at(c) !== -1));
  const rows: ClinicalRow[] = [];
  for (const cells of table.slice(1)) {
    const cell = (name: string) => (at(name) === -1 ? '' : String(cells[at(name)] ?? '').trim());
    const patientId = cell('patientid');
    if (!patientId) continue;
    const row: ClinicalRow = { patientId, values: {}, unmapped: [] };
    for (const k of keys) {
      const column = k.sheet?.find((c) => cell(c) !== '');
      if (!column) continue;
      const text = cell(column);
      const value = k.kind === 'number' ? num(text) : vocab.code(k.key, k.cellText ? k.cellText(column, text) : text);
      if (value !== undefined) row.values[k.column] = value;
      else row.unmapped.push({ column, value: text });
    }
    rows.push(row);
  }
  return { rows, source, columns: keys.map((k) => k.column) };
}

/** Reads `clinical.csv` or `clinical.xlsx` of a dataset folder (csv wins if both exist); none is fine. */
export async function readClinical(datasetDir: string, vocab: Vocabulary): Promise<ClinicalSheet> {
  const csv = join(datasetDir, 'clinical.csv');
  const xlsx = join(datasetDir, 'clinical.xlsx');
  if (existsSync(csv)) {
    const text = (await readFile(csv, 'utf8')).replace(/^\uFEFF/, '');
    const table = text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map(splitCsvLine);
    return { ...toSheet(table, vocab, csv), source: 'clinical.csv' };
  }
  if (existsSync(xlsx)) {
    const sheet = await readSheet(xlsx);
    const table = sheet.map((r) => r.map((c) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c))));
    return { ...toSheet(table, vocab, xlsx), source: 'clinical.xlsx' };
  }
  return { rows: [], columns: [] };
}
