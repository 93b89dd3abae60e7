// What the negotiation routes answer, as schemas for the API description (the router checks each
// handler's JSON against them at compile time).
import { z } from 'zod';
import { ed25519PublicJwkSchema } from '../../shared/node-auth.ts';
import { accessConditions } from '../../shared/negotiation/grant.ts';
import { datasetEvents, datasetStates, negotiationEvents, negotiationStates } from '../../shared/negotiation/lifecycle.ts';
import { lifecycleRoles } from '../../shared/negotiation/state-chart.ts';

const iso = z.iso.datetime();

const chart = <S extends readonly [string, ...string[]], E extends readonly [string, ...string[]]>(states: S, events: E) =>
  z.object({
    name: z.string(),
    initial: z.enum(states),
    states: z.array(z.object({ id: z.enum(states), label: z.string(), description: z.string(), final: z.boolean() })),
    events: z.array(
      z.object({
        id: z.enum(events),
        label: z.string(),
        from: z.array(z.enum(states)),
        to: z.enum(states),
        roles: z.array(z.enum(lifecycleRoles)),
      }),
    ),
  });

export const lifecycleSchema = z.object({
  negotiation: chart(negotiationStates, negotiationEvents),
  dataset: chart(datasetStates, datasetEvents),
  datasetsMoveWhile: z.array(z.enum(negotiationStates)),
  autoConclude: z.object({ event: z.enum(negotiationEvents), from: z.enum(negotiationStates), when: z.string() }),
});

export const grantKeysSchema = z.object({
  keys: z.array(ed25519PublicJwkSchema.extend({ kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') })),
});

export const negotiationViewSchema = z.object({
  id: z.string(),
  author: z.string(),
  state: z.enum(negotiationStates),
  form: z.object({ id: z.string(), version: z.number().int() }),
  answers: z.record(z.string(), z.unknown()),
  humanReadable: z.string(),
  /** The federated search the datasets were found with, when there was one. */
  query: z.unknown(),
  createdAt: iso,
  datasets: z.array(z.object({ id: z.string(), state: z.enum(datasetStates) })),
  timeline: z.array(
    z.object({
      event: z.string(),
      datasetId: z.string().nullable(),
      from: z.string(),
      to: z.string(),
      actor: z.string(),
      role: z.string(),
      at: iso,
    }),
  ),
  /** Which grants it produced; the signed statement only for its holder (GET /api/v1/grants). */
  grants: z.array(
    z.object({ id: z.string(), datasetId: z.string(), access: z.enum(accessConditions), expiresAt: iso, revoked: z.boolean() }),
  ),
});

export const negotiationListSchema = z.object({
  negotiations: z.array(z.object({ id: z.string(), state: z.enum(negotiationStates), createdAt: iso })),
});

export const waitingSchema = z.object({
  negotiations: z.array(
    z.object({
      id: z.string(),
      state: z.enum(negotiationStates),
      /** The events the caller may fire on the negotiation now. */
      events: z.array(z.string()),
      datasets: z.array(z.object({ id: z.string(), state: z.string(), events: z.array(z.string()) })),
    }),
  ),
});

export const grantListSchema = z.object({
  grants: z.array(
    z.object({
      id: z.string(),
      negotiationId: z.string(),
      datasetId: z.string(),
      datasetTitle: z.string(),
      access: z.enum(accessConditions),
      conditions: z.string(),
      issuedAt: iso,
      expiresAt: iso,
      revoked: z.boolean(),
      revokedAt: iso.nullable(),
      /** The signed statement (EdDSA JWS) a node verifies offline. */
      jws: z.string(),
    }),
  ),
});

export const handedOverSchema = z.object({
  id: z.string(),
  url: z.string(),
  humanReadable: z.string(),
  resources: z.array(z.object({ id: z.string() })),
});

export const postSchema = z.object({
  id: z.string(),
  datasetId: z.string().nullable(),
  author: z.string(),
  role: z.string(),
  body: z.string(),
  createdAt: iso,
});

export const timelineSchema = z.object({
  entries: z.array(
    z.object({
      at: iso,
      kind: z.enum(['event', 'post', 'attachment']),
      who: z.string(),
      role: z.string(),
      datasetId: z.string().nullable(),
      text: z.string(),
    }),
  ),
});

export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  uploadedBy: z.string(),
  createdAt: iso,
});

export const webhookListSchema = z.object({
  webhooks: z.array(
    z.object({ id: z.string(), url: z.string(), active: z.boolean(), createdAt: iso, pending: z.number().int(), failed: z.number().int() }),
  ),
});

export const deliveryListSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      happeningId: z.string(),
      attempts: z.number().int(),
      state: z.enum(['delivered', 'failed', 'pending']),
      nextAttemptAt: iso,
      lastError: z.string().nullable(),
    }),
  ),
});
