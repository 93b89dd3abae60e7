import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import { nodeAdmins, nodes } from '../nodes/nodes.sql.ts';
import { notify } from '../notifications/notify.ts';
import type { Services } from '../services.ts';
import { nodeOutageTickets } from './helpdesk.sql.ts';
import { openTicket } from './ticket-service.ts';

/**
 * Part of the sweep: a node silent for NODE_OFFLINE_TICKET_MINUTES gets one ticket to the
 * Federated Search group, and its admins a notice. The outage is keyed by the last-seen time it
 * went silent at, so later sweeps of the same outage find the row and do nothing, and the next
 * outage (after the node came back) gets its own ticket. Nodes never seen are not outages.
 */
export async function ticketOfflineNodes(s: Services): Promise<number> {
  const now = s.clock.now();
  const cutoff = new Date(now.getTime() - s.config.NODE_OFFLINE_TICKET_MINUTES * 60_000);
  const silent = await s.db
    .select({ id: nodes.id, name: nodes.name, lastSeenAt: nodes.lastSeenAt })
    .from(nodes)
    .where(and(eq(nodes.status, 'active'), isNotNull(nodes.lastSeenAt), lt(nodes.lastSeenAt, cutoff)));
  let opened = 0;
  for (const node of silent) {
    const since = node.lastSeenAt as Date;
    // Claim the outage first: two sweeps racing (Lambda cron overlapping a slow run) open one ticket.
    const claimed = await s.db
      .insert(nodeOutageTickets)
      .values({ nodeId: node.id, silentSince: since, createdAt: now })
      .onConflictDoNothing()
      .returning({ nodeId: nodeOutageTickets.nodeId });
    if (claimed.length === 0) continue;
    const minutes = Math.round((now.getTime() - since.getTime()) / 60_000);
    const ticket = await openTicket(s, {
      owner: null,
      customer: { email: s.config.MAIL_FROM.match(/<([^>]+)>/)?.[1] ?? s.config.MAIL_FROM, name: 'EUCAIM hub' },
      kind: 'node_offline',
      group: 'Federated Search',
      title: `Node ${node.id} offline since ${since.toISOString()}`,
      body: `The hub has not heard from node ${node.id} (${node.name}) for ${minutes} minutes. Federated searches skip it until it is back.`,
      context: { 'node id': node.id, 'last seen': since.toISOString() },
    });
    await s.db
      .update(nodeOutageTickets)
      .set({ ticketId: ticket.id })
      .where(and(eq(nodeOutageTickets.nodeId, node.id), eq(nodeOutageTickets.silentSince, since)));
    const admins = await s.db
      .select({ subject: nodeAdmins.subject })
      .from(nodeAdmins)
      .where(inArray(nodeAdmins.nodeId, [node.id]));
    for (const a of admins)
      await notify(
        s.db,
        a.subject,
        { kind: 'node.offline', title: `Your node ${node.id} is offline; a helpdesk ticket was opened`, link: '/search' },
        now,
      );
    opened++;
  }
  return opened;
}
