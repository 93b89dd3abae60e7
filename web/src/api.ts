import { hc, type InferResponseType } from 'hono/client';
// Type-only: the hub's route types shape the client, and esbuild erases the import (web/build.ts
// refuses the bundle if hub code ever gets in).
import type { AppType } from '../../functions/app.ts';

export type HubClient = ReturnType<typeof hc<AppType>>;

/** The typed hub client; the token is read on every call, so logging in or out needs no new client. */
export function hubClient(token: () => string | undefined): HubClient {
  return hc<AppType>(location.origin, {
    headers: (): Record<string, string> => {
      const t = token();
      return t ? { authorization: 'Bearer ' + t } : {};
    },
  });
}

/** A refusal from the hub, carrying the request id a helpdesk needs to find the log line. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    /** Validation faults as the hub names them: `{ path, message }`, path like `ast.children[0].type`. */
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type JsonBody<R> = R extends { json(): Promise<infer T> } ? T : never;

/**
 * The body of a successful response, or an ApiError built from the hub's error body
 * (`{ error: { code, message, requestId } }`). A proxy's HTML error page still gives a readable message.
 */
export async function okJson<R extends Response>(res: R): Promise<JsonBody<R>> {
  if (res.ok) return (await res.json()) as JsonBody<R>;
  const body = (await res.json().catch(() => null)) as {
    error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
  } | null;
  const e = body?.error;
  const requestId = typeof e?.requestId === 'string' ? e.requestId : (res.headers.get('x-request-id') ?? undefined);
  throw new ApiError(
    res.status,
    typeof e?.code === 'string' ? e.code : `http_${res.status}`,
    typeof e?.message === 'string' ? e.message : `the hub answered ${res.status} ${res.statusText}`.trim(),
    requestId,
    Array.isArray(e?.details) ? e.details.filter(isFault) : [],
  );
}

function isFault(d: unknown): d is { path: string; message: string } {
  return typeof (d as { path?: unknown })?.path === 'string' && typeof (d as { message?: unknown })?.message === 'string';
}

/** What `GET /api/v1/me` answers: derived from the hub's routes, so a changed field fails `tsc`. */
export type Me = InferResponseType<HubClient['api']['v1']['me']['$get']>;
/** One poll of a search: status, per-node answers and the running total. */
export type SearchView = InferResponseType<HubClient['api']['v1']['search'][':id']['$get']>;
/** The filter catalogue the hub serves (`GET /api/v1/search/catalogue`). */
export type Catalogue = InferResponseType<HubClient['api']['v1']['search']['catalogue']['$get']>;
export type CatalogueFilter = Catalogue['filters'][number];
