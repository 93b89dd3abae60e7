/**
 * The seed's support units: every ticket starts at the first level unless a flow knows better
 * (biobank creation goes to Reference Nodes, search providers to Federated Search, and so on).
 */
export const HELPDESK_GROUPS = ['Technical Support Team', 'Catalogue', 'Federated Search', 'Reference Nodes', 'Access'] as const;
export type HelpdeskGroup = (typeof HELPDESK_GROUPS)[number];

export const TICKET_STATES = ['new', 'open', 'pending', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export interface HelpdeskCustomer {
  email: string;
  name?: string;
}

export interface NewHelpdeskTicket {
  group: HelpdeskGroup;
  title: string;
  customer: HelpdeskCustomer;
  /** The first article: the user's text with the flow's context above it. */
  body: string;
}

export interface HelpdeskArticle {
  id: string;
  from: 'customer' | 'agent';
  body: string;
  createdAt: Date;
}

export interface HelpdeskTicket {
  /** The helpdesk's own id for the ticket (Zammad's numeric id, as text). */
  externalId: string;
  /** What the helpdesk shows people, e.g. Zammad's "22001". */
  number: string;
  title: string;
  group: string;
  state: TicketState;
  updatedAt: Date;
}

/**
 * The helpdesk the platform hands human work to: Zammad in production, tables in the hub's own
 * database for the local default. Calls may fail or time out; callers keep the request and retry.
 */
export interface Helpdesk {
  readonly kind: 'embedded' | 'zammad';
  /** The customer with this e-mail, created on first use; answers the helpdesk's id for them. */
  findOrCreateCustomer(customer: HelpdeskCustomer): Promise<{ customerId: string }>;
  /**
   * Opens the ticket with its first article as the customer's own. Answers the helpdesk's ids, the
   * first article's included: the platform remembers every article it wrote, so that a helpdesk
   * notifying it about one (Zammad's trigger webhook) is never shown back to the user as a reply.
   */
  createTicket(ticket: NewHelpdeskTicket): Promise<{ externalId: string; number: string; articleId?: string }>;
  /** A follow-up on an existing ticket, written by its customer (and remembered, as above). */
  addArticle(externalId: string, article: { body: string; customerEmail: string }): Promise<{ articleId: string }>;
  listCustomerTickets(email: string): Promise<HelpdeskTicket[]>;
}
