import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { FormAnswers } from '../../shared/negotiation/form-answers.ts';
import type { AccessCondition } from '../../shared/negotiation/grant.ts';
import type { DatasetState, NegotiationState } from '../../shared/negotiation/lifecycle.ts';
import { catalogueDatasets } from '../catalogue/catalogue.sql.ts';
import { createdAt, tstz } from '../db/columns.ts';

/** One access request by one researcher for one or more datasets, with its application form. */
export const negotiations = pgTable(
  'negotiations',
  {
    id: text('id').primaryKey(),
    /** The researcher's OIDC subject. */
    author: text('author').notNull(),
    state: text('state').$type<NegotiationState>().notNull(),
    formId: text('form_id').notNull(),
    formVersion: integer('form_version').notNull(),
    answers: jsonb('answers').$type<FormAnswers>().notNull(),
    /** What the user searched for, in words, as the catalogue handed it over. */
    humanReadable: text('human_readable').notNull().default(''),
    /** The federated search query (AST) the datasets were found with, when there was one. */
    query: jsonb('query').$type<unknown>(),
    createdAt: createdAt(),
    /** The last activity (a transition, a post, an attachment): reminders and auto-close count from it. */
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    /** When the sweep last reminded about this negotiation standing still; once per quiet spell. */
    remindedAt: tstz('reminded_at'),
  },
  (t) => [index('negotiations_author').on(t.author, t.createdAt)],
);

/** Each requested dataset's own state within its negotiation. */
export const negotiationDatasets = pgTable(
  'negotiation_datasets',
  {
    negotiationId: text('negotiation_id')
      .notNull()
      .references(() => negotiations.id, { onDelete: 'cascade' }),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => catalogueDatasets.id),
    state: text('state').$type<DatasetState>().notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.negotiationId, t.datasetId] }), index('negotiation_datasets_dataset').on(t.datasetId)],
);

/** The timeline: every transition that happened, who fired it and as which role. */
export const negotiationEvents = pgTable(
  'negotiation_events',
  {
    id: text('id').primaryKey(),
    negotiationId: text('negotiation_id')
      .notNull()
      .references(() => negotiations.id, { onDelete: 'cascade' }),
    /** Null for an event of the negotiation itself. */
    datasetId: uuid('dataset_id'),
    event: text('event').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    /** The OIDC subject, or `hub` for the automatic conclusion. */
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    at: createdAt(),
  },
  (t) => [index('negotiation_events_negotiation').on(t.negotiationId, t.id)],
);

/** A permission issued when a dataset reached RESOURCE_MADE_AVAILABLE, with its signed statement. */
export const accessGrants = pgTable(
  'access_grants',
  {
    id: text('id').primaryKey(),
    negotiationId: text('negotiation_id')
      .notNull()
      .references(() => negotiations.id),
    datasetId: uuid('dataset_id').notNull(),
    userSub: text('user_sub').notNull(),
    access: text('access').$type<AccessCondition>().notNull(),
    conditions: text('conditions').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    jws: text('jws').notNull(),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('access_grants_user').on(t.userSub), index('access_grants_negotiation').on(t.negotiationId, t.datasetId)],
);

/**
 * A selection a catalogue handed over (`POST /api/v3/requests`) before anyone logged in; it becomes
 * a negotiation once, when the researcher starts the application from it.
 */
export const negotiationRequests = pgTable('negotiation_requests', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  humanReadable: text('human_readable').notNull(),
  resources: jsonb('resources').$type<string[]>().notNull(),
  query: jsonb('query').$type<unknown>(),
  negotiationId: text('negotiation_id').references(() => negotiations.id),
  createdAt: createdAt(),
});
