import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskTickets } from '../../functions/adapters/helpdesk-embedded.sql.ts';
import { loadHubConfig } from '../../functions/config.ts';
import { runMaintenance } from '../../functions/maintenance.ts';
import { nodeAdmins, nodes } from '../../functions/nodes/nodes.sql.ts';
import { notifications } from '../../functions/notifications/notifications.sql.ts';
import { silentLogger } from '../../functions/ports/logger.ts';
import { createNodeServices } from '../../functions/runtime/node-services.ts';
import type { Services } from '../../functions/services.ts';
import { databaseKind, freshDatabase } from '../support/database.ts';

const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: 'A'.repeat(43) };

describe(`a helpdesk ticket for a node offline too long (${databaseKind()})`, () => {
  let s: Services;
  let drop: () => Promise<void>;
  let dir: string;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outage-'));
    const db = await freshDatabase();
    drop = db.drop;
    s = (
      await createNodeServices(loadHubConfig({ DATA_DIR: dir, NODE_OFFLINE_TICKET_MINUTES: '30' }), {
        database: db.handle,
        migrate: false,
        logger: silentLogger,
        clock,
      })
    ).services;
  });
  afterAll(async () => {
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  const outageTickets = async () => (await s.db.select().from(deskTickets)).filter((t) => t.title.startsWith('Node node-'));

  it('opens one ticket per outage however often the sweep runs, and none for nodes seen lately or never', async () => {
    await s.db.insert(nodes).values([
      { id: 'node-silent', name: 'Silent', publicJwk: jwk, lastSeenAt: minutesAgo(45) },
      { id: 'node-recent', name: 'Recent', publicJwk: jwk, lastSeenAt: minutesAgo(10) },
      { id: 'node-never', name: 'Never seen', publicJwk: jwk },
    ]);
    await s.db.insert(nodeAdmins).values({ nodeId: 'node-silent', subject: 'dataholder' });

    await runMaintenance(s);
    await runMaintenance(s);
    await runMaintenance(s);
    const tickets = await outageTickets();
    expect(tickets.map((t) => [t.group, t.title.split(' offline')[0]])).toEqual([['Federated Search', 'Node node-silent']]);
    const notices = await s.db.select().from(notifications).where(eq(notifications.subject, 'dataholder'));
    expect(notices.map((n) => n.kind)).toEqual(['node.offline']);
  });

  it('opens a new ticket when the node came back and went silent again', async () => {
    await s.db.update(nodes).set({ lastSeenAt: clock.now() }).where(eq(nodes.id, 'node-silent'));
    await runMaintenance(s);
    expect(await outageTickets()).toHaveLength(1);
    offset += 31 * 60_000;
    await runMaintenance(s);
    await runMaintenance(s);
    // node-recent has now been silent for 41 minutes as well: its first outage.
    expect((await outageTickets()).map((t) => t.title.split(' offline')[0]).sort()).toEqual([
      'Node node-recent',
      'Node node-silent',
      'Node node-silent',
    ]);
  });
});
