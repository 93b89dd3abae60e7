import { timestamp } from 'drizzle-orm/pg-core';

/** Timestamps are always with time zone, so every runtime reads the same instant. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => tstz('created_at').notNull().defaultNow();
