import { openPostgres } from '../adapters/db-postgres.ts';
import { migrateDatabase } from '../db/migrate.ts';

// The deploy step for the serverless hubs (Lambda and Workers never migrate on start):
// `DATABASE_URL=postgres://... tsx functions/entries/migrate.ts`.
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('invalid configuration: DATABASE_URL: must be a postgres:// URL');
  process.exit(1);
}
const database = openPostgres(url, { max: 1 });
try {
  await migrateDatabase(database);
  console.log('database migrated');
} finally {
  await database.close();
}
