import { type Context, Hono, type MiddlewareHandler, type TypedResponse, type ValidationTargets } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { H, HandlerResponse, MergePath, Schema, ToSchema } from 'hono/types';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { validate } from '../middleware/validate.ts';
import { type Access, enforceAccess } from './access.ts';
import type { ApiTag } from './tags.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One answer of a route as the description shows it: media type to schema (none for bytes, pages, streams). */
export interface ResponseDecl {
  readonly description: string;
  readonly content?: Readonly<Record<string, { readonly schema?: z.ZodType }>>;
  readonly headers?: Readonly<Record<string, { readonly description: string }>>;
}

/** A request body the generic JSON validator does not read: its own validator, or the raw bytes read by the handler. */
export interface BodyDecl {
  readonly description: string;
  readonly content: Readonly<Record<string, { readonly schema?: z.ZodType }>>;
  // biome-ignore lint/suspicious/noExplicitAny: any validator's input type flows into the handler's `c.req.valid`.
  readonly validator?: MiddlewareHandler<HubEnv, any, any>;
}

/**
 * One route, declared once: the router registers it with its guard and validators, and the API
 * description, the reference page and the README's table are generated from the same object.
 */
export interface RouteDecl {
  readonly method: Method;
  /** Hono's syntax, relative to the router: `/:id`, `/:path{.+}`. */
  readonly path: string;
  /** Defaults to the router's tag. */
  readonly tag?: ApiTag;
  /** What the route does, for the reference and the README (one line). */
  readonly summary: string;
  readonly description?: string;
  readonly access: Access;
  /** A narrower rule the handler decides (the search's owner, a node's admins), said in words. */
  readonly rule?: string;
  readonly request?: {
    readonly params?: z.ZodType;
    readonly query?: z.ZodType;
    /** Validated as `application/json` by the one validator (400 naming every fault). */
    readonly json?: z.ZodType;
    readonly body?: BodyDecl;
  };
  /** The answers the handler gives on success (and any non-error status such as 303, 410). */
  readonly responses: Readonly<Record<number, ResponseDecl>>;
  /** The refusals particular to this route, with what each means here; those of its access and validation are added. */
  readonly errors?: Readonly<Partial<Record<ErrorCode, string>>>;
  /** Run after the guard and before validation (a check of state, a rate limit). */
  readonly middleware?: readonly MiddlewareHandler<HubEnv>[];
}

export type DeclaredRoute = RouteDecl & { readonly tag: ApiTag };

interface RouterDefaults {
  tag: ApiTag;
  /** Run after each route's guard, before its own middleware. */
  middleware?: MiddlewareHandler<HubEnv>[];
}

// The guard of each route carries its declaration: `authenticate` finds it among the routes Hono
// matched, and the description walks `app.routes` for it, so both read what Hono will actually run.
const declarations = new WeakMap<object, DeclaredRoute>();

// biome-ignore lint/complexity/noBannedTypes: an empty input, as Hono spells it.
type Blank = {};
// biome-ignore lint/suspicious/noExplicitAny: only the input type is read.
type MiddlewareInput<M> = M extends MiddlewareHandler<any, any, infer I> ? I : Blank;
type ValidatorInput<T extends keyof ValidationTargets, S> = S extends z.ZodType
  ? MiddlewareInput<ReturnType<typeof validate<S, T>>>
  : Blank;
type RequestOf<R> = R extends { request: infer Q } ? Q : Blank;
/** What the route's validators give the handler through `c.req.valid(...)` and the typed client through its input. */
export type InputOf<R extends RouteDecl> = (RequestOf<R> extends { params: infer S } ? ValidatorInput<'param', S> : Blank) &
  (RequestOf<R> extends { query: infer S } ? ValidatorInput<'query', S> : Blank) &
  (RequestOf<R> extends { json: infer S } ? ValidatorInput<'json', S> : Blank) &
  (RequestOf<R> extends { body: { validator: infer M } } ? MiddlewareInput<M> : Blank);

// As Hono types a handler's answer for its typed client (hono/types keeps this one private).
type MergeTypedResponse<T> =
  T extends Promise<void>
    ? T
    : T extends Promise<infer T2>
      ? T2 extends TypedResponse
        ? T2
        : TypedResponse
      : T extends TypedResponse
        ? T
        : TypedResponse;

// The JSON a handler can answer, and what its declaration says it answers: the first must fit the second.
type AnsweredJson<T> = T extends TypedResponse<infer O, infer _S, 'json'> ? O : never;
// A handler may answer constant data with readonly arrays; what matters is the shape, so both sides compare as readonly.
type ReadonlyArrays<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyArrays<U>[]
  : T extends object
    ? { [K in keyof T]: ReadonlyArrays<T[K]> }
    : T;
type DeclaredJson<R extends RouteDecl> = {
  [K in keyof R['responses']]: R['responses'][K] extends { content: { 'application/json': { schema: infer Z extends z.ZodType } } }
    ? ReadonlyArrays<z.input<Z>>
    : never;
}[keyof R['responses']];
/** A compile error naming the undeclared answer when the handler's JSON does not fit the declared schemas. */
type FitsDeclaration<R extends RouteDecl, Res> = [AnsweredJson<MergeTypedResponse<Res>>] extends [DeclaredJson<R>]
  ? unknown
  : { readonly 'the handler answers JSON that its declared responses do not describe': AnsweredJson<MergeTypedResponse<Res>> };

/**
 * A Hono router whose routes are declared with `add(declaration, handler)`. Chain the routes of a
 * resource and mount the router with `.route()`: the typed client (`hc<AppType>`) sees every route.
 */
export class HubRouter<S extends Schema = Blank, B extends string = '/'> extends Hono<HubEnv, S, B> {
  readonly #defaults: RouterDefaults;

  constructor(defaults: RouterDefaults) {
    super();
    this.#defaults = defaults;
  }

  add<const R extends RouteDecl, Res extends HandlerResponse<unknown> = HandlerResponse<unknown>>(
    decl: R,
    handler: H<HubEnv, MergePath<B, R['path']>, InputOf<R>, Res> & FitsDeclaration<R, Res>,
  ): HubRouter<S & ToSchema<R['method'], MergePath<B, R['path']>, InputOf<R>, MergeTypedResponse<Res>>, B> {
    const declared: DeclaredRoute = { ...decl, tag: decl.tag ?? this.#defaults.tag };
    const guard = createMiddleware<HubEnv>(async (c, next) => {
      enforceAccess(declared.access, c);
      await next();
    });
    declarations.set(guard, declared);
    const chain: H[] = [guard, ...(this.#defaults.middleware ?? []), ...(decl.middleware ?? []), ...validators(decl), handler];
    (this as unknown as Hono<HubEnv>).on(decl.method.toUpperCase(), decl.path, ...(chain as [H]));
    return this as never;
  }
}

/**
 * A declaration kept as a value, for a router that lists its declarations above the handlers:
 * `.add(listRuns, async (c) => ...)`. Keeps the literal method and path the typed client needs.
 */
export const defineRoute = <const R extends RouteDecl>(decl: R): R => decl;

/** A router for one capability; its routes take `tag` unless they name another. */
export const hubRouter = (defaults: RouterDefaults) => new HubRouter(defaults);

// The order of today's routes: the path first, then the query, then the body.
function validators(decl: RouteDecl): MiddlewareHandler[] {
  const r = decl.request;
  const out: MiddlewareHandler[] = [];
  if (r?.params) out.push(validate('param', r.params));
  if (r?.query) out.push(validate('query', r.query));
  if (r?.json) out.push(validate('json', r.json));
  if (r?.body?.validator) out.push(r.body.validator as MiddlewareHandler);
  return out;
}

/** The declaration of the route this request will run, or undefined when no declared route matches. */
export function declarationOf(c: Context): DeclaredRoute | undefined {
  for (const r of matchedRoutes(c)) {
    const d = declarations.get(r.handler);
    if (d) return d;
  }
  return undefined;
}

export interface ServedRoute {
  method: string;
  /** The full path as Hono matches it (`/api/v1/runs/:id/nodes/:nodeId/outputs/:path{.+}`). */
  path: string;
  declaration: DeclaredRoute | undefined;
}

/**
 * Every route an app serves, with its declaration (undefined for one registered without `add`).
 * Middleware (`use`, method ALL) and the other handlers of a route's chain are folded into it.
 */
export function servedRoutes(routes: readonly { method: string; path: string; handler: unknown }[]): ServedRoute[] {
  const byKey = new Map<string, ServedRoute>();
  for (const r of routes) {
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, declaration: undefined };
    const d = declarations.get(r.handler as object);
    if (d && entry.declaration && entry.declaration !== d) throw new Error(`${key} is declared twice`);
    if (d) entry.declaration = d;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** A JSON answer. */
export const json = <Z extends z.ZodType>(schema: Z, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** An answer with no body. */
export const noContent = (description: string): ResponseDecl => ({ description });

/** An answer of other media types (bytes, pages, RDF, event streams), described in words. */
export const media = (types: readonly string[], description: string, headers?: ResponseDecl['headers']): ResponseDecl => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, {}])),
  headers,
});
