// What the helpdesk routes answer, as schemas for the API description (the router checks each
// handler's JSON against them at compile time).
import { z } from 'zod';
import { HELPDESK_GROUPS, TICKET_STATES } from '../ports/helpdesk.ts';

const iso = z.iso.datetime();
const TICKET_KINDS = ['help', 'biobank', 'search_provider', 'tool', 'interest', 'node_offline'] as const;
export const DELIVERY = ['queued', 'sent'] as const;

export const openedSchema = z.object({ id: z.string(), delivery: z.enum(DELIVERY) });
export const deliverySchema = z.object({ delivery: z.enum(DELIVERY) });

const ticketSummary = z.object({
  id: z.string(),
  kind: z.enum(TICKET_KINDS),
  group: z.string().describe(`one of: ${HELPDESK_GROUPS.join(', ')}`),
  title: z.string(),
  /** The helpdesk's ticket number, once it accepted the ticket. */
  number: z.string().nullable(),
  /** `queued` while the helpdesk has not accepted it yet; otherwise the helpdesk's state. */
  status: z.enum(['queued', ...TICKET_STATES]),
  createdAt: iso,
  updatedAt: iso,
});
export const ticketListSchema = z.object({ tickets: z.array(ticketSummary) });
export const ticketDetailSchema = ticketSummary.extend({
  owner: z.string().nullable(),
  context: z.record(z.string(), z.string()),
  articles: z.array(
    z.object({ id: z.string(), from: z.enum(['customer', 'agent']), body: z.string(), delivery: z.enum(DELIVERY), createdAt: iso }),
  ),
});

const deskTicket = z.object({
  id: z.number().int(),
  group: z.string(),
  title: z.string(),
  state: z.enum(TICKET_STATES),
  updatedAt: iso,
  customer: z.string(),
  number: z.string(),
});
export const deskListSchema = z.object({ tickets: z.array(deskTicket) });
export const deskTicketSchema = deskTicket.extend({
  articles: z.array(
    z.object({
      id: z.number().int(),
      sender: z.enum(['customer', 'agent']),
      author: z.string().nullable(),
      body: z.string(),
      createdAt: iso,
    }),
  ),
});
export const deskReplySchema = z.object({ articleId: z.number().int(), state: z.enum(TICKET_STATES) });
export const deskStateViewSchema = z.object({ state: z.enum(TICKET_STATES) });

export const outboxSchema = z.object({
  mailer: z.enum(['outbox', 'smtp']),
  messages: z.array(z.object({ id: z.string(), to: z.string(), from: z.string(), subject: z.string(), text: z.string(), createdAt: iso })),
});
