import { z } from 'zod';
import { nodeIdSchema } from '../../shared/node-auth.ts';
import { TICKET_STATES } from '../ports/helpdesk.ts';

// One schema per input, shared by the route validators and (as types) the web app. Text fields
// are trimmed; an empty one is a 400. Ticket text has no zod maximum on purpose: too long is a
// 413 (assertTextSize), so people can tell "shorten it" from "fill it in".
const line = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const text = z.string().trim().min(1, 'must not be empty');
const httpUrl = z
  .string()
  .trim()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

export const helpRequestSchema = z
  .object({
    title: line(200),
    body: text,
    /** The page the user asked from, so the first-level team sees where they were. */
    page: z.string().trim().max(500).regex(/^\//, 'must be a path of the app').optional(),
  })
  .strict();

export const biobankRequestSchema = z
  .object({
    name: line(200),
    /** The EUCAIM username who will manage the biobank. */
    managingUser: line(200),
    url: httpUrl.optional(),
    notes: z.string().trim().optional(),
  })
  .strict();

export const searchProviderRequestSchema = z
  .object({
    nodeId: nodeIdSchema,
    /** The node's public key as the bridge's `enrol` printed it (JWK JSON or PEM). */
    publicKey: line(5000),
    contact: line(300),
    notes: z.string().trim().optional(),
  })
  .strict();

export const toolRequestSchema = z
  .object({
    image: line(300),
    repositoryUrl: httpUrl,
    documentationUrl: httpUrl,
    notes: z.string().trim().optional(),
  })
  .strict();

export const replySchema = z.object({ body: text }).strict();
export const ticketIdParam = z.object({ id: z.string().regex(/^tkt_[0-9a-z]{26}$/, 'not a ticket id') });
export const deskIdParam = z.object({ id: z.coerce.number().int().positive() });
export const deskStateSchema = z.object({ state: z.enum(TICKET_STATES) }).strict();
export const deskListQuery = z.object({ state: z.enum(TICKET_STATES).optional() });
