import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../db/columns.ts';
import { searches } from '../search/search.sql.ts';

/**
 * A Beam task id (the UUID the explorer picks) per user, and the search it started. Keyed by owner and
 * id, so one user's ids say nothing about another's: a stream for someone else's id is a 404.
 */
export const spotTasks = pgTable(
  'spot_tasks',
  {
    owner: text('owner').notNull(),
    taskId: text('task_id').notNull(),
    /** Null only while the search is being started. */
    searchId: text('search_id').references(() => searches.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.taskId] })],
);
