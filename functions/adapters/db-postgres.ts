import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database, DatabaseHandle } from '../db/client.ts';
import * as schema from '../db/schema.ts';

/**
 * Real Postgres through postgres.js: the one driver that runs unchanged on Node, Lambda and Workers
 * (through Hyperdrive). `fetch_types: false` avoids a round trip Workers cannot afford per request.
 */
export function openPostgres(url: string, opts: { max?: number } = {}): DatabaseHandle {
  const sql = postgres(url, { max: opts.max ?? 10, fetch_types: false, onnotice: () => {} });
  const db = drizzle(sql, { schema }) as unknown as Database;
  return { db, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
}
