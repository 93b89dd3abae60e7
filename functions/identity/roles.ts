import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { datasetRepresentatives } from './roles.sql.ts';

/** The datasets a user represents: what `/me` shows and what decides who reads a dataset's traces. */
export async function representedDatasets(db: Database, subject: string): Promise<string[]> {
  const rows = await db
    .select({ id: datasetRepresentatives.datasetId })
    .from(datasetRepresentatives)
    .where(eq(datasetRepresentatives.subject, subject));
  return rows.map((r) => r.id);
}
