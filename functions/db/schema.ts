// Every table of the hub, for drizzle's typed queries and for drizzle-kit's migrations.
export * from '../adapters/queue-postgres.sql.ts';
export * from '../identity/roles.sql.ts';
export * from '../jobs/jobs.sql.ts';
export * from '../nodes/nodes.sql.ts';
export * from '../search/search.sql.ts';
