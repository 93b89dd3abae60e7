import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import pkg from '../../package.json' with { type: 'json' };
import { type ErrorCode, errorBodySchema, errorStatus } from '../../shared/errors.ts';
import { sessionCookieName } from '../identity/explorer-session.ts';
import { ACCESS } from './access.ts';
import { type DeclaredRoute, type ServedRoute, servedRoutes } from './hub-router.ts';
import { API_TAGS } from './tags.ts';

export interface DocumentOptions {
  /** The hub's PUBLIC_URL: the one server of the description. */
  publicUrl: string;
  /** Where users log in; the user scheme then names its discovery document. */
  oidcIssuer?: string;
}

type Routes = readonly { method: string; path: string; handler: unknown }[];
type Declared = ServedRoute & { declaration: DeclaredRoute };
export type ApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/** What each refusal means when a route does not say more. */
const REFUSAL_WORDS: Record<ErrorCode, string> = {
  bad_request: 'the input is not valid; `details` names each fault as `{ path, message }`',
  unauthenticated: 'no valid credentials',
  forbidden: 'the caller may not do this',
  not_found: 'no such thing (or not one the caller may see)',
  not_acceptable: 'no representation in the types the client accepts; `details.supported` lists them',
  conflict: 'not possible in the current state',
  gone: 'withdrawn for good',
  payload_too_large: 'the body is over the limit',
  unsupported_media_type: 'the content is not of a type the route accepts',
  unsupported_protocol: 'the bridge speaks a protocol version this hub does not serve; the message says which to install',
  unprocessable: 'the content does not satisfy the rules; `details` lists every problem',
  rate_limited: 'too many requests; try again later',
  internal: 'an internal error (the log line carries the request id)',
  unavailable: 'a service the route needs is not available',
};

/** Hono's `/:id` and `/:path{.+}` as OpenAPI's `/{id}` and `/{path}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, '{$1}');
}

/** Path parameters with the regular expression Hono matches them by, when the path gives one. */
function pathParameters(path: string): { name: string; pattern?: string }[] {
  return [...path.matchAll(/:(\w+)(?:\{((?:[^{}]|\{[^{}]*\})*)\})?/g)].map((m) => ({ name: m[1] as string, pattern: m[2] }));
}

function paramsSchema(path: string, declared: z.ZodType | undefined): z.ZodObject | undefined {
  const names = pathParameters(path);
  if (names.length === 0) return undefined;
  const shape = declared instanceof z.ZodObject ? declared.shape : {};
  const rest = Object.fromEntries(
    names.filter((p) => !(p.name in shape)).map((p) => [p.name, p.pattern ? z.string().regex(new RegExp(`^${p.pattern}$`)) : z.string()]),
  );
  return z.object({ ...shape, ...rest });
}

function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}

/** The refusals a route can give: its access rule's, validation's, the body limit's, and its own. */
export function refusals(d: DeclaredRoute): Map<ErrorCode, string> {
  const out = new Map<ErrorCode, string>();
  for (const code of ACCESS[d.access].refusals) out.set(code, REFUSAL_WORDS[code]);
  const r = d.request;
  if (r?.params || r?.query || r?.json || r?.body?.validator) out.set('bad_request', REFUSAL_WORDS.bad_request);
  if (r?.json || r?.body) out.set('payload_too_large', REFUSAL_WORDS.payload_too_large);
  for (const [code, words] of Object.entries(d.errors ?? {}) as [ErrorCode, string][]) out.set(code, words);
  return out;
}

function operation(r: Declared, errorSchema: { $ref: string }) {
  const d = r.declaration;
  const path = openApiPath(r.path);
  const access = ACCESS[d.access];
  const responses: Record<
    string,
    { description: string; content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }
  > = Object.fromEntries(
    Object.entries(d.responses).map(([status, r]) => [
      status,
      // A response header needs a schema in OpenAPI; every header the hub describes is text.
      r.headers
        ? { ...r, headers: Object.fromEntries(Object.entries(r.headers).map(([k, h]) => [k, { ...h, schema: { type: 'string' } }])) }
        : r,
    ]),
  );
  for (const [code, words] of refusals(d)) {
    const status = String(errorStatus[code]);
    const declared = responses[status];
    const refusal = `\`${code}\`: ${words}`;
    // A status the route also answers in another form (PID's 410 page and its JSON `gone`) keeps both.
    responses[status] = {
      description: declared ? `${declared.description} JSON clients: ${refusal}` : refusal,
      content: { ...declared?.content, 'application/json': { schema: errorSchema } },
    };
  }
  const who = `**Who:** ${access.label}${d.rule ? ` — ${d.rule}` : ''}. ${access.description}`;
  const body = d.request?.json
    ? { required: true, content: { 'application/json': { schema: d.request.json } } }
    : d.request?.body
      ? { required: true, description: d.request.body.description, content: d.request.body.content }
      : undefined;
  return {
    method: d.method,
    path,
    operationId: operationId(d.method, path),
    tags: [d.tag],
    summary: d.summary,
    description: [d.description, who].filter(Boolean).join('\n\n'),
    security: access.security,
    'x-access': d.access,
    ...(d.rule ? { 'x-access-rule': d.rule } : {}),
    request: {
      params: paramsSchema(r.path, d.request?.params),
      query: d.request?.query as z.ZodObject | undefined,
      body,
    },
    responses,
  };
}

/** The routes an app serves that carry a declaration (the coverage test fails for any that do not). */
export function declaredRoutes(routes: Routes): Declared[] {
  return servedRoutes(routes).filter((r): r is Declared => r.declaration !== undefined);
}

/** The OpenAPI 3.1 description of every declared route, generated by @hono/zod-openapi from the same declarations. */
export function apiDocument(routes: Routes, opts: DocumentOptions): ApiDocument {
  const doc = new OpenAPIHono();
  const registry = doc.openAPIRegistry;
  // The one error shape, once, as a component every refusal refers to.
  const { $schema: _, ...errorJsonSchema } = z.toJSONSchema(errorBodySchema, { io: 'output' });
  registry.registerComponent('schemas', 'Error', errorJsonSchema as Parameters<typeof registry.registerComponent>[2]);
  const errorSchema = { $ref: '#/components/schemas/Error' };
  registry.registerComponent(
    'securitySchemes',
    'user',
    opts.oidcIssuer
      ? {
          type: 'openIdConnect',
          openIdConnectUrl: `${opts.oidcIssuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
          description: "A user's OIDC access token (a JWT for the hub's audience), sent as `Authorization: Bearer <token>`.",
        }
      : { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A user's OIDC access token for the hub's audience." },
  );
  registry.registerComponent('securitySchemes', 'node', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'node+jwt',
    description:
      "A bridge signs every request with its node's Ed25519 key (EdDSA JWT, header `typ: node+jwt`): `iss` and `sub` are the node id, " +
      "`aud` the hub's public URL, `htm` the method, `htu` the path with its query, `bh` the base64url SHA-256 of the body, " +
      '`iat`/`exp` at most 60 s apart, and `jti` is accepted once. The node must be registered and active with that key.',
  });
  registry.registerComponent('securitySchemes', 'explorerSession', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookieName(opts.publicUrl),
    description:
      'The explorer session (`POST /api/v1/spot/session` with a bearer token sets it): HttpOnly, SameSite=Strict, `__Host-` over https; accepted by the Spot routes only, ' +
      "accepted only from the hub's own origin or SPOT_EXPLORER_ORIGINS, and a POST must carry its Origin.",
  });
  registry.registerComponent('securitySchemes', 'webhookSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hub-Signature',
    description: '`sha1=<hex>`: HMAC-SHA1 of the raw body with the shared webhook secret (ZAMMAD_WEBHOOK_SECRET).',
  });
  for (const r of declaredRoutes(routes)) registry.registerPath(operation(r, errorSchema) as Parameters<typeof registry.registerPath>[0]);
  return doc.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'EUCAIM federation hub',
      version: pkg.version,
      description:
        'The hub of a federation for cancer imaging: federated search, the dataset catalogue, access negotiation, federated ' +
        'processing, the helpdesk and the tamper-evident tracer. Every error answers `{ error: { code, message, requestId, details? } }`.',
    },
    servers: [{ url: opts.publicUrl }],
    tags: API_TAGS.map((t) => ({ name: t.name, description: t.description })),
  });
}
