import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/** The hub's database, whichever driver is underneath (PGlite embedded, postgres.js elsewhere). */
// biome-ignore lint/suspicious/noExplicitAny: the two drivers differ only in their raw result type
export type Database = PgDatabase<PgQueryResultHKT & any, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** `db.execute` answers `{ rows }` on PGlite and an array on postgres.js: read both the same way. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
