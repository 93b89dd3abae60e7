import { z } from 'zod';
import { AppError, issuesToDetails } from '../../shared/errors.ts';
import { platformState } from '../adapters/helpdesk-zammad.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { MAX_TICKET_TEXT, recordAgentReply } from './ticket-service.ts';
import { verifyZammadSignature } from './webhook-signature.ts';

// Zammad's default trigger payload, reduced to what the platform reads; the rest passes through.
const webhookSchema = z.object({
  ticket: z.looseObject({ id: z.number().int(), state: z.string().optional() }),
  article: z
    .looseObject({
      id: z.number().int(),
      body: z.string(),
      sender: z.string().optional(),
      internal: z.boolean().optional(),
      content_type: z.string().optional(),
    })
    .nullish(),
});

/** Replies arrive as HTML from Zammad's editor; the platform shows text only, never markup. */
export function htmlToText(body: string, contentType: string | undefined): string {
  if (!contentType?.includes('html')) return body;
  return body
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * POST /api/v1/helpdesk/webhooks/zammad: anonymous (Zammad has no user token) but signed. The
 * signature is checked on the raw bytes before anything is parsed or stored; a bad one is a 401
 * and changes nothing. Only public agent articles reach the user; internal notes never do.
 */
export const zammadWebhookRoutes = hubRouter({ tag: 'Helpdesk' }).add(
  {
    method: 'post',
    path: '/',
    access: 'webhook',
    rule: 'Zammad, signing with the shared secret (`X-Hub-Signature: sha1=...`)',
    summary: "Zammad's trigger: agent replies and state changes; `X-Hub-Signature: sha1=…` checked in constant time",
    description:
      'The signature is checked on the raw bytes, in constant time, before anything is parsed or stored. Only public agent articles reach the user; internal notes never do.',
    request: {
      body: {
        description: "Zammad's default trigger payload (`ticket`, `article`); other fields pass through unread.",
        content: { 'application/json': { schema: webhookSchema } },
      },
    },
    responses: { 200: json(z.object({ recorded: z.boolean() }), 'Whether a reply or state change was recorded.') },
    errors: { unauthenticated: 'the signature is missing or wrong', bad_request: 'the body is not JSON or not a Zammad trigger payload' },
  },
  async (c) => {
    const s = c.get('services');
    const secret = s.config.ZAMMAD_WEBHOOK_SECRET;
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!secret || !(await verifyZammadSignature(secret, raw, c.req.header('x-hub-signature')))) {
      throw new AppError('unauthenticated', 'webhook signature missing or wrong');
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      throw new AppError('bad_request', 'webhook body is not JSON');
    }
    const parsed = webhookSchema.safeParse(json);
    if (!parsed.success) throw new AppError('bad_request', 'invalid webhook body', issuesToDetails(parsed.error.issues));
    const { ticket, article } = parsed.data;
    const fromAgent = article && article.sender === 'Agent' && !article.internal;
    const result = await recordAgentReply(s, {
      externalTicketId: String(ticket.id),
      state: ticket.state ? platformState(ticket.state) : undefined,
      ...(fromAgent
        ? { externalArticleId: String(article.id), body: htmlToText(article.body, article.content_type).slice(0, MAX_TICKET_TEXT) }
        : {}),
    });
    c.get('log').info('zammad webhook', { delivery: c.req.header('x-zammad-delivery')?.slice(0, 64), recorded: result.recorded });
    return c.json({ recorded: result.recorded });
  },
);
