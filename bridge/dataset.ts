import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** dataset.json at the top of DATA_DIR: how this node's collection is named in the federation. */
export const datasetInfoSchema = z.object({
  id: z.string().uuid(),
  name: z.string().min(1).max(500),
  description: z.string().max(2000).optional(),
});
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;

export async function loadDatasetInfo(dataDir: string): Promise<DatasetInfo> {
  const path = join(dataDir, 'dataset.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${path} is missing; describe the collection there (or run "npm run bridge -- generate-demo")`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = datasetInfoSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}
