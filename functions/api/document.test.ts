import { Validator } from '@seriousme/openapi-schema-validator';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes, buildApp } from '../app.ts';
import type { Services } from '../services.ts';
import { ACCESS } from './access.ts';
import { apiDocument, openApiPath } from './document.ts';
import { hubRouter, json, servedRoutes } from './hub-router.ts';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const opts = { publicUrl: 'https://hub.example.org', oidcIssuer: 'https://login.example.org/oidc' };
// Building the app only closes over the services; nothing is called on them until a request comes.
const app = buildApp({} as Services);
const served = servedRoutes(app.routes);
const doc = apiDocument(apiRoutes.routes, opts);
type Operation = { tags?: string[]; security?: unknown[]; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((m) => {
    const op = (item as Record<string, Operation | undefined>)[m];
    return op ? [{ key: `${m.toUpperCase()} ${path}`, op: op as Operation & Record<string, unknown> }] : [];
  }),
);

describe('the API description', () => {
  it('declares who may call every route the hub serves', () => {
    const undeclared = served.filter((r) => !r.declaration).map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(90);
    expect(undeclared, 'routes registered without a declaration (use HubRouter.add)').toEqual([]);
    for (const r of served) expect(Object.keys(ACCESS), `${r.method} ${r.path}`).toContain(r.declaration?.access);
  });

  it('finds a route registered without a declaration (the check above can fail)', () => {
    const sneaky = new Hono()
      .route(
        '/api/v1/declared',
        hubRouter({ tag: 'Hub' }).add(
          { method: 'get', path: '/', access: 'public', summary: 'declared', responses: { 200: json(z.object({}), 'ok') } },
          (c) => c.json({}),
        ),
      )
      .get('/api/v1/sneaky', (c) => c.json({}));
    const found = servedRoutes(sneaky.routes);
    expect(found.map((r) => [r.path, r.declaration?.access])).toEqual([
      ['/api/v1/declared', 'public'],
      ['/api/v1/sneaky', undefined],
    ]);
  });

  it('describes exactly the routes the hub serves, each once', () => {
    const servedKeys = served.map((r) => `${r.method} ${openApiPath(r.path)}`).sort();
    expect(new Set(servedKeys).size, 'a method and path served twice').toBe(servedKeys.length);
    expect(operations.map((o) => o.key).sort()).toEqual(servedKeys);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('catches a broken document (the validator can fail)', async () => {
    // A path parameter must be required; an optional one is not OpenAPI.
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { parameters: { required: boolean }[] }>> };
    const param = broken.paths['/api/v1/runs/{id}']?.get?.parameters[0];
    expect(param).toBeDefined();
    if (param) param.required = false;
    const result = await new Validator().validate(broken as unknown as Record<string, unknown>);
    expect(result.valid).toBe(false);
  });

  it('names the server, both credentials and the one error shape', () => {
    expect(doc.servers).toEqual([{ url: opts.publicUrl }]);
    const schemes = doc.components?.securitySchemes as Record<string, { type: string; openIdConnectUrl?: string; bearerFormat?: string }>;
    expect(schemes.user).toMatchObject({ type: 'openIdConnect', openIdConnectUrl: `${opts.oidcIssuer}/.well-known/openid-configuration` });
    expect(schemes.node).toMatchObject({ type: 'http', bearerFormat: 'node+jwt' });
    expect(doc.components?.schemas?.Error).toMatchObject({ required: ['error'] });
  });

  it.each(operations.map((o) => [o.key, o.op] as const))('%s: says who may call it, its tag, a success and its refusals', (_key, op) => {
    expect(Object.keys(ACCESS)).toContain(op['x-access']);
    expect(op.tags, 'one capability tag').toHaveLength(1);
    expect(doc.tags?.map((t) => t.name)).toContain(op.tags?.[0]);
    expect(op.security).toEqual(ACCESS[op['x-access'] as keyof typeof ACCESS].security);
    const statuses = Object.keys(op.responses ?? {});
    expect(
      statuses.some((s) => /^[23]/.test(s)),
      'a success answer',
    ).toBe(true);
    for (const [status, r] of Object.entries(op.responses ?? {})) {
      const jsonBody = r.content?.['application/json'];
      if (jsonBody) expect(jsonBody.schema, `${status} has a JSON schema`).toBeDefined();
      // A withdrawn FAIR Data Point record answers 410 with its RDF tombstone, not an error.
      if (Number(status) >= 400 && (jsonBody || status !== '410'))
        expect(jsonBody?.schema, `${status} answers the error shape`).toEqual({ $ref: '#/components/schemas/Error' });
    }
    if (op['x-access'] !== 'public')
      expect(statuses.some((s) => s === '401' || s === '403') || op['x-access'] === 'upload-token').toBe(true);
  });

  it('gives the interoperability routes their own tags', () => {
    const tagOf = (key: string) => operations.find((o) => o.key === key)?.op.tags?.[0];
    expect(tagOf('POST /api/v3/requests')).toBe('Negotiator v3 (interop)');
    expect(tagOf('GET /tracer/api/v1/traces')).toBe('Tracer v1 (CHAIMELEON interop)');
    expect(tagOf('POST /tracer/api/v1/traces')).toBe('Tracer v1 (CHAIMELEON interop)');
  });
});
