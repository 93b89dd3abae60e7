import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { newId } from '../../shared/ids.ts';
import type { Services } from '../services.ts';
import { expressionsOfInterest } from './helpdesk.sql.ts';
import { openTicket } from './ticket-service.ts';

/** Seed 5.1's "Main interest (select one or more)", in its order. */
export const INTEREST_LABELS = {
  data_holder: 'Data Holder (Primary Use Clinical Repository and Hospital, Data Warehouse architecture)',
  repository: 'Repository (Secondary Use Research Repository)',
  technical_resources: 'Technical Resources and Expertise (Storage / Computation / Services / Interoperability)',
  ai_tools: 'AI Tools and Solutions',
  elsi_ehds: 'ELSI - EHDS',
  dissemination: 'Dissemination and Communication',
} as const;
export const INTERESTS = Object.keys(INTEREST_LABELS) as [keyof typeof INTEREST_LABELS, ...(keyof typeof INTEREST_LABELS)[]];
export const JOIN_ROLES = ['user', 'software_provider', 'data_holder', 'stakeholder'] as const;

const field = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** The public form "Expression of Interest from new Stakeholders", every field of the seed. */
export const expressionOfInterestSchema = z
  .object({
    date: z.iso.date(),
    contactPerson: field(200),
    gender: z.enum(['female', 'male', 'non_binary', 'prefer_not_to_say']),
    email: z.email().max(254),
    telephone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{5,30}$/, 'must be a telephone number'),
    jobTitle: field(200),
    organisation: field(300),
    department: field(200),
    street: field(300),
    town: field(200),
    postCode: field(20),
    country: field(100),
    interests: z
      .array(z.enum(INTERESTS))
      .min(1, 'choose at least one interest')
      .max(INTERESTS.length)
      .refine((a) => new Set(a).size === a.length, 'each interest once'),
    capabilities: field(5000),
    /** Which "Become a ..." page the form was sent from. */
    role: z.enum(JOIN_ROLES).optional(),
  })
  .strict();
export type ExpressionOfInterest = z.infer<typeof expressionOfInterestSchema>;

function formText(f: ExpressionOfInterest): string {
  return [
    `Date: ${f.date}`,
    `Contact person: ${f.contactPerson} (${f.gender.replaceAll('_', ' ')})`,
    `E-mail: ${f.email}`,
    `Telephone: ${f.telephone}`,
    `Job title: ${f.jobTitle}`,
    `Organisation: ${f.organisation}, ${f.department}`,
    `Address: ${f.street}, ${f.postCode} ${f.town}, ${f.country}`,
    `Main interests:\n${f.interests.map((i) => `- ${INTEREST_LABELS[i]}`).join('\n')}`,
    `Capabilities and functionalities:\n${f.capabilities}`,
  ].join('\n');
}

/**
 * Stores the form, opens a ticket for the consortium (Access group) and acknowledges by e-mail.
 * A helpdesk or mail outage loses nothing: the form is stored first, the ticket retries, and a
 * failed acknowledgement is logged.
 */
export async function submitInterest(s: Services, form: ExpressionOfInterest) {
  const now = s.clock.now();
  const id = newId('eoi', now.getTime());
  await s.db.insert(expressionsOfInterest).values({ id, email: form.email.toLowerCase(), form, createdAt: now });
  const ticket = await openTicket(s, {
    owner: null,
    customer: { email: form.email, name: form.contactPerson },
    kind: 'interest',
    group: 'Access',
    title: `Expression of interest: ${form.organisation}`.slice(0, 250),
    body: formText(form),
    context: { 'expression of interest': id, ...(form.role ? { role: form.role.replaceAll('_', ' ') } : {}) },
  });
  await s.db.update(expressionsOfInterest).set({ ticketId: ticket.id }).where(eq(expressionsOfInterest.id, id));
  try {
    await s.mailer.send({
      to: form.email,
      subject: 'EUCAIM: we received your expression of interest',
      text: `Dear ${form.contactPerson},\n\nthank you for your interest in joining EUCAIM. We received your expression of interest (reference ${id}) and the consortium will contact you.\n\nWhat you sent:\n\n${formText(form)}\n`,
    });
  } catch (err) {
    s.logger.warn('acknowledgement mail failed', { eoi: id, error: (err as Error).message });
  }
  return { id, ticket: ticket.delivery };
}
