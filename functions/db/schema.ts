// Every table of the hub, for drizzle's typed queries and for drizzle-kit's migrations.
export * from '../adapters/queue-postgres.sql.ts';
export * from '../identity/explorer-session.sql.ts';
export * from '../identity/roles.sql.ts';
export * from '../jobs/jobs.sql.ts';
export * from '../nodes/nodes.sql.ts';
export * from '../search/search.sql.ts';
export * from '../spot/spot.sql.ts';
export * from '../adapters/helpdesk-embedded.sql.ts';
export * from '../adapters/mailer-outbox.sql.ts';
export * from '../helpdesk/helpdesk.sql.ts';
export * from '../notifications/notifications.sql.ts';
export * from '../catalogue/catalogue.sql.ts';
export * from '../negotiation/negotiation.sql.ts';
export * from '../negotiation/conversation.sql.ts';
export * from '../harvest/harvest.sql.ts';
export * from '../processing/processing.sql.ts';
