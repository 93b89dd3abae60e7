import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { FormDefinition } from '../../shared/negotiation/form-definition.ts';
import { createdAt, tstz } from '../db/columns.ts';
import { negotiations } from './negotiation.sql.ts';

/** Every version of an application form an admin stored; a negotiation keeps the version it started with. */
export const negotiationForms = pgTable(
  'negotiation_forms',
  {
    formId: text('form_id').notNull(),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<FormDefinition>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.formId, t.version] })],
);

/** A message on a negotiation: public (datasetId null) or private to one dataset's representatives. */
export const negotiationPosts = pgTable(
  'negotiation_posts',
  {
    id: text('id').primaryKey(),
    negotiationId: text('negotiation_id')
      .notNull()
      .references(() => negotiations.id, { onDelete: 'cascade' }),
    datasetId: uuid('dataset_id'),
    author: text('author').notNull(),
    role: text('role').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('negotiation_posts_negotiation').on(t.negotiationId, t.id)],
);

/** A file the researcher attached (ethics approval, CVs); the bytes live in the object store under `key`. */
export const negotiationAttachments = pgTable(
  'negotiation_attachments',
  {
    id: text('id').primaryKey(),
    negotiationId: text('negotiation_id')
      .notNull()
      .references(() => negotiations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    key: text('key').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('negotiation_attachments_negotiation').on(t.negotiationId)],
);

/**
 * Something that happened and must be told exactly once (in-app, mail, webhooks): written in the
 * same transaction as the change, claimed once by whoever dispatches it first (the request after
 * its commit, or the sweep after a crash).
 */
export const negotiationHappenings = pgTable(
  'negotiation_happenings',
  {
    id: text('id').primaryKey(),
    negotiationId: text('negotiation_id').notNull(),
    datasetId: uuid('dataset_id'),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    dispatchedAt: tstz('dispatched_at'),
    createdAt: createdAt(),
  },
  (t) => [index('negotiation_happenings_pending').on(t.dispatchedAt, t.id)],
);

/** Where mail for a user goes: learnt from their token whenever they use the negotiation routes. */
export const negotiationContacts = pgTable('negotiation_contacts', {
  subject: text('subject').primaryKey(),
  email: text('email'),
  name: text('name'),
  admin: boolean('admin').notNull().default(false),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** An external system told about every negotiation happening, signed with its own secret. */
export const negotiationWebhooks = pgTable('negotiation_webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

/** One happening for one endpoint: retried with backoff until the receiver acknowledges it validly. */
export const negotiationWebhookDeliveries = pgTable(
  'negotiation_webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => negotiationWebhooks.id, { onDelete: 'cascade' }),
    happeningId: text('happening_id').notNull(),
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull(),
    deliveredAt: tstz('delivered_at'),
    failedAt: tstz('failed_at'),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('negotiation_webhook_deliveries_once').on(t.webhookId, t.happeningId),
    index('negotiation_webhook_deliveries_due').on(t.deliveredAt, t.failedAt, t.nextAttemptAt),
  ],
);
