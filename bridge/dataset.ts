import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Each top-level folder of the data path is one dataset ("collection"). Its id is the folder name
 * unless the optional `datasets.json` at the top maps the folder to `{ id, name, description }`.
 */
export const datasetInfoSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(500),
  description: z.string().max(2000).optional(),
});
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;
export interface DatasetFolder extends DatasetInfo {
  /** Folder name under the data path. */
  folder: string;
}

export const DATASETS_FILE = 'datasets.json';
const datasetsFileSchema = z.record(z.string(), datasetInfoSchema.partial({ name: true }));

async function readDatasetsFile(dataDir: string): Promise<z.infer<typeof datasetsFileSchema>> {
  const path = join(dataDir, DATASETS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = datasetsFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The datasets of a data folder, sorted by folder name; hidden folders are litter, not datasets. */
export async function loadDatasets(dataDir: string): Promise<DatasetFolder[]> {
  const described = await readDatasetsFile(dataDir);
  const entries = await readdir(dataDir, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const out = folders.map((folder) => {
    const d = described[folder];
    return { folder, id: d?.id ?? folder, name: d?.name ?? folder, ...(d?.description ? { description: d.description } : {}) };
  });
  const ids = new Set<string>();
  for (const d of out) {
    if (ids.has(d.id)) throw new Error(`${join(dataDir, DATASETS_FILE)}: dataset id ${d.id} is used by two folders`);
    ids.add(d.id);
  }
  return out;
}
