import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openPostgres } from '../../functions/adapters/db-postgres.ts';
import { hubTasks, searchNodes } from '../../functions/db/schema.ts';
import worker from '../../functions/entries/worker.ts';
import type { WorkerEnv } from '../../functions/runtime/worker-services.ts';
import { errorBodySchema } from '../../shared/errors.ts';

const HUB = 'https://hub.eucaim.example';

/** Calls the Worker's fetch directly with altered bindings, as a misconfigured deploy would. */
async function fetchWith(bindings: WorkerEnv, path: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${HUB}${path}`), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('the hub on Workers (workerd, Hyperdrive to PostgreSQL)', () => {
  it('answers GET /api/v1/health from the database, listing the seeded node', async () => {
    const res = await exports.default.fetch(`${HUB}/api/v1/health`);
    const body = (await res.json()) as { status: string; nodes: { id: string; online: boolean }[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.nodes).toContainEqual(expect.objectContaining({ id: inject('seededNodeId'), online: true }));
  });

  it('refuses an anonymous GET /api/v1/me with 401 in the one error shape', async () => {
    const res = await exports.default.fetch(`${HUB}/api/v1/me`);
    const body = errorBodySchema.parse(await res.json());
    expect(res.status, JSON.stringify(body)).toBe(401);
    expect(body.error.code).toBe('unauthenticated');
    expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
  });

  it("reads a member's group from the issuer's userinfo inside the isolate, once per token", async () => {
    const headers = { authorization: `Bearer ${inject('userinfoMemberToken')}` };
    for (let i = 0; i < 3; i++) {
      const res = await exports.default.fetch(`${HUB}/api/v1/me`, { headers });
      const me = (await res.json()) as { sub: string; member: boolean };
      expect(res.status, JSON.stringify(me)).toBe(200);
      expect(me).toMatchObject({ sub: inject('userinfoMemberSub'), member: true });
    }
    const stats = (await (await fetch(inject('oidcStatsUrl'))).json()) as { userinfoCalls: Record<string, number> };
    expect(stats.userinfoCalls[inject('userinfoMemberSub')]).toBe(1);
  });

  describe('with a bad binding', () => {
    // The Worker logs why it cannot start; keep that out of the test output.
    let quiet: ReturnType<typeof vi.spyOn>;
    beforeAll(() => {
      quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    });
    afterAll(() => quiet.mockRestore());

    it.each([
      { setting: 'JOB_SIGNING_KEY', problem: 'malformed', bindings: { JOB_SIGNING_KEY: '{"kty":"OKP","crv":"Ed25519"' } },
      { setting: 'JOB_SIGNING_KEY', problem: 'missing', bindings: { JOB_SIGNING_KEY: undefined } },
      { setting: 'JOB_QUEUE', problem: 'unsupported', bindings: { JOB_QUEUE: 'sqs', SQS_QUEUE_URL_TEMPLATE: 'https://sqs.test/{nodeId}' } },
      { setting: 'HYPERDRIVE', problem: 'missing', bindings: { HYPERDRIVE: undefined } },
    ])('answers 500 naming $setting ($problem), without a stack', async ({ setting, bindings }) => {
      const res = await fetchWith({ ...env, ...bindings }, '/api/v1/health');
      const text = await res.text();
      const body = errorBodySchema.parse(JSON.parse(text));
      expect(res.status, text).toBe(500);
      expect(body.error.code).toBe('internal');
      expect(body.error.message).toMatch(new RegExp(`^invalid configuration: ${setting}: `));
      expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    });
  });

  it('closes overdue searches from the cron trigger', async () => {
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env);
    const database = openPostgres(env.HYPERDRIVE.connectionString, { max: 1 });
    try {
      const searchId = inject('overdueSearchId');
      const rows = await database.db.select({ status: searchNodes.status }).from(searchNodes).where(eq(searchNodes.searchId, searchId));
      expect(rows.map((r) => r.status)).toEqual(['timed_out']);
      // Other files' searches queue deadline tasks of their own: only this search's task matters here.
      const left = (await database.db.select({ task: hubTasks.task }).from(hubTasks)).filter((t) => t.task.includes(searchId));
      expect(left, 'the drained task is deleted').toEqual([]);
    } finally {
      await database.close();
    }
  });
});
