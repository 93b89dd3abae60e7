import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../db/columns.ts';

/** Who represents which dataset (answers access requests for it, reads its traces). */
export const datasetRepresentatives = pgTable(
  'dataset_representatives',
  { datasetId: text('dataset_id').notNull(), subject: text('subject').notNull(), createdAt: createdAt() },
  (t) => [primaryKey({ columns: [t.datasetId, t.subject] }), index('dataset_representatives_subject').on(t.subject)],
);
