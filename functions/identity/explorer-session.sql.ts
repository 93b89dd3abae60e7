import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';
import type { VerifiedUser } from './principal.ts';

/**
 * Explorer sessions (functions/identity/explorer-session.ts): the cookie's secret is never stored, only
 * its SHA-256. The user is as the provider's token and userinfo described them when the session opened,
 * and the session ends when that token would have expired.
 */
export const explorerSessions = pgTable(
  'explorer_sessions',
  {
    /** SHA-256 (hex) of the cookie's random secret. */
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    user: jsonb('user').$type<VerifiedUser>().notNull(),
    createdAt: createdAt(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('explorer_sessions_expiry').on(t.expiresAt)],
);
