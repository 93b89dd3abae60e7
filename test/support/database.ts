import postgres from 'postgres';
import { openPglite } from '../../functions/adapters/db-pglite.ts';
import { openPostgres } from '../../functions/adapters/db-postgres.ts';
import type { DatabaseHandle } from '../../functions/db/client.ts';
import { migrateDatabase } from '../../functions/db/migrate.ts';

/**
 * A fresh, migrated database for one suite: a new database on the real server when
 * TEST_DATABASE_URL is set (dropped afterwards), else an in-memory PGlite.
 */
export async function freshDatabase(): Promise<{ handle: DatabaseHandle; url?: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const handle = await openPglite();
    await migrateDatabase(handle);
    return { handle, drop: () => handle.close() };
  }
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), { max: 5 });
  await migrateDatabase(handle);
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export const databaseKind = () => (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
