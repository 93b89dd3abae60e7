import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HubEnv } from '../env.ts';
import type { Principal } from '../identity/principal.ts';
import { onError } from '../middleware/errors.ts';
import type { Services } from '../services.ts';
import { declarationOf, hubRouter, json } from './hub-router.ts';

const user = (member: boolean, admin = false): Principal => ({ kind: 'user', user: { sub: 'u', entitlements: [] }, member, admin });

/** A router mounted the way app.ts mounts one, with the caller already decided (authenticate's job). */
function appWith(principal: Principal) {
  const seen: string[] = [];
  const router = hubRouter({ tag: 'Hub' }).add(
    {
      method: 'post',
      path: '/things/:id',
      access: 'member',
      summary: 'a thing',
      request: { params: z.object({ id: z.string().regex(/^t_\d+$/) }), json: z.object({ name: z.string() }).strict() },
      responses: { 201: json(z.object({ id: z.string(), name: z.string() }), 'made') },
    },
    async (c) => {
      seen.push(declarationOf(c)?.access ?? 'none');
      return c.json({ id: c.req.valid('param').id, name: c.req.valid('json').name }, 201);
    },
  );
  const app = new Hono<HubEnv>()
    .use('*', async (c, next) => {
      c.set('principal', principal);
      c.set('requestId', 'test-request');
      c.set('services', { config: { ENROL_URL: 'https://enrol.example' } } as unknown as Services);
      await next();
    })
    .route('/api', router);
  app.onError(onError);
  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { post, seen };
}

describe('a declared route', () => {
  it('runs its handler with the validated input for a caller its access admits', async () => {
    const { post, seen } = appWith(user(true));
    const res = await post('/api/things/t_1', { name: 'x' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 't_1', name: 'x' });
    expect(seen, 'the handler can read its own declaration').toEqual(['member']);
  });

  it.each([
    ['anonymous', { kind: 'anonymous' } as Principal, 401],
    ['a logged-in non-member', user(false), 403],
    ['a node', { kind: 'node', nodeId: 'n' } as Principal, 401],
  ])('refuses %s before reading the input (no 400 leaks what the body should be)', async (_who, principal, status) => {
    const { post, seen } = appWith(principal);
    const res = await post('/api/things/not-an-id', { bogus: true });
    expect(res.status).toBe(status);
    expect(seen).toEqual([]);
  });

  it('answers a bad input with 400 naming each fault, path first', async () => {
    const { post } = appWith(user(true));
    const res = await post('/api/things/not-an-id', { name: 'x' });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: 'bad_request', message: 'invalid param' });
  });

  it("fails tsc when the handler's JSON does not fit the declared answer", () => {
    const router = hubRouter({ tag: 'Hub' }).add(
      { method: 'get', path: '/', access: 'public', summary: 's', responses: { 200: json(z.object({ ok: z.literal(true) }), 'ok') } },
      // @ts-expect-error the handler answers `ok: 'yes'`, which the declaration does not describe
      (c) => c.json({ ok: 'yes' }),
    );
    expect(router.routes.length).toBeGreaterThan(0);
  });
});
