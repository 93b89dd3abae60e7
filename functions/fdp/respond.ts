// How every FDP answer leaves the hub: negotiated format, weak ETag from the record's modified time
// (304 on a match), Cache-Control and `Vary: Accept`, so an edge cache can hold each representation.
import type { Context } from 'hono';
import type { Quad } from 'n3';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { type RdfFormat, SUPPORTED_RDF_TYPES, negotiateRdf } from './negotiate.ts';
import { serialize } from './serialize.ts';

export const FDP_CACHE_CONTROL = 'public, max-age=60';

/** 406 in the one error body (`not_acceptable`), listing in `details.supported` the types the route offers. */
export function notAcceptable(c: Context<HubEnv>, supported: readonly string[]): AppError {
  // The error answer varies by Accept too, or an edge cache would serve it to clients it does not fit.
  c.header('vary', 'Accept');
  return new AppError('not_acceptable', `none of the accepted types can be served; supported: ${supported.join(', ')}`, { supported });
}

/** The format the request asks for; throws the 406 when none can be served. */
export function rdfFormat(c: Context<HubEnv>): RdfFormat {
  const format = negotiateRdf(c.req.header('accept'), c.req.query('format'));
  if (!format) throw notAcceptable(c, SUPPORTED_RDF_TYPES);
  return format;
}

export interface RdfAnswer {
  quads: Quad[];
  /** The newest change the answer reflects; with the format and page it makes the ETag. */
  modified: string | Date | null;
  status?: 200 | 410;
  headers?: Record<string, string>;
  cacheControl?: string;
}

export async function rdfResponse(c: Context<HubEnv>, format: RdfFormat, answer: RdfAnswer): Promise<Response> {
  const url = new URL(c.req.url);
  const modified = answer.modified ? new Date(answer.modified).getTime() : 0;
  // Weak: n3 names blank nodes afresh on every write, so equal representations are not byte-equal.
  const etag = `W/"${modified.toString(36)}-${format}-${url.searchParams.get('page') ?? ''}-${url.searchParams.get('size') ?? ''}-${answer.status ?? 200}"`;
  const headers: Record<string, string> = {
    etag,
    'cache-control': answer.cacheControl ?? FDP_CACHE_CONTROL,
    vary: 'Accept',
    ...answer.headers,
  };
  if (answer.modified) headers['last-modified'] = new Date(answer.modified).toUTCString();
  const inm = c.req.header('if-none-match');
  if (inm?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return c.body(null, 304, headers);
  const { body, contentType } = await serialize(answer.quads, format);
  return c.body(body, answer.status ?? 200, { ...headers, 'content-type': contentType });
}
