// The PID resolver, GET /pid/{uuid}: the way doi.org and w3id answer, a 303 chosen by Accept (the
// web page for people, the FDP record for machines), 410 with a tombstone once withdrawn, and 404
// only for what was never published. Every answer varies by Accept and may sit in an edge cache.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { catalogueOf } from '../fdp/catalogue.ts';
import { fdpIris } from '../fdp/iris.ts';
import { pickType } from '../fdp/negotiate.ts';
import { notAcceptableResponse } from '../fdp/respond.ts';

/** What the resolver offers, in order of preference when the client does not say (`*\/*`: people). */
export const PID_TYPES = ['text/html', 'text/turtle', 'application/ld+json', 'application/n-triples', 'application/json'] as const;

export const PID_CACHE = {
  /** A redirect stays right until the dataset is withdrawn, and its FDP record then answers 410 itself. */
  redirect: 'public, max-age=3600',
  gone: 'public, max-age=86400',
  /** Short: a draft that is not found today may be published tomorrow. */
  notFound: 'public, max-age=60',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const pidRoutes = new Hono<HubEnv>().get('/:id', async (c) => {
  const id = c.req.param('id');
  c.header('vary', 'Accept');
  if (!UUID.test(id)) throw new AppError('bad_request', 'a dataset PID is a UUID', { id });
  const type = pickType(c.req.header('accept'), PID_TYPES);
  if (!type) return notAcceptableResponse(c, PID_TYPES);
  const s = c.get('services');
  const record = await catalogueOf(s).dataset(id.toLowerCase());
  if (!record || record.state === 'draft') {
    c.header('cache-control', PID_CACHE.notFound);
    throw new AppError('not_found', `no dataset was ever published as ${id}`);
  }
  const base = s.config.PUBLIC_URL;
  if (record.state === 'withdrawn') {
    c.header('cache-control', PID_CACHE.gone);
    const tombstone = { id: record.id, pid: `${base}/pid/${record.id}`, state: 'withdrawn' as const, title: record.metadata.title, withdrawnAt: record.withdrawnAt, reason: record.withdrawnReason };
    if (type !== 'text/html') return c.json(tombstone, 410);
    return c.html(
      html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Withdrawn: ${tombstone.title}</title></head>
<body><main>
<h1>${tombstone.title}</h1>
<p>This dataset was withdrawn from the EUCAIM catalogue on <time datetime="${tombstone.withdrawnAt ?? ''}">${tombstone.withdrawnAt ?? 'an unknown date'}</time>.</p>
<p>Reason: ${tombstone.reason ?? 'not given'}</p>
<p>Identifier: <code>${tombstone.pid}</code></p>
</main></body></html>`,
      410,
    );
  }
  c.header('cache-control', PID_CACHE.redirect);
  const location =
    type === 'text/html'
      ? `${base}/catalogue/datasets/${record.id}`
      : type === 'application/json'
        ? `${base}/api/v1/catalogue/datasets/${record.id}`
        : fdpIris(base).dataset(record.id);
  return c.redirect(location, 303);
});
