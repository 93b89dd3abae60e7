import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database, DatabaseHandle } from '../db/client.ts';
import * as schema from '../db/schema.ts';

/** Embedded Postgres for `npm start` and tests: a folder on disk, or memory when `dataDir` is absent. */
export async function openPglite(dataDir?: string): Promise<DatabaseHandle> {
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Database;
  return { db, kind: 'pglite', close: () => client.close() };
}
