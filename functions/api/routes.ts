import { z } from 'zod';
import type { HubConfig } from '../config.ts';
import { type ApiDocument, apiDocument } from './document.ts';
import { hubRouter, json, media } from './hub-router.ts';
import { referencePage } from './reference-page.ts';

type Routes = readonly { method: string; path: string; handler: unknown }[];

const documentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()).optional(),
});

/**
 * `/api/openapi.json` and `/api/reference`, public: the description of every route the hub serves,
 * generated from their declarations once per configuration (the routes do not change while it runs).
 */
export function apiDocsRoutes(routes: () => Routes) {
  const made = new Map<string, ApiDocument>();
  const documentFor = (config: HubConfig): ApiDocument => {
    const key = `${config.PUBLIC_URL} ${config.OIDC_ISSUER}`;
    let doc = made.get(key);
    if (!doc) {
      doc = apiDocument(routes(), { publicUrl: config.PUBLIC_URL, oidcIssuer: config.OIDC_ISSUER });
      made.set(key, doc);
    }
    return doc;
  };
  return hubRouter({ tag: 'Hub' })
    .add(
      {
        method: 'get',
        path: '/openapi.json',
        access: 'public',
        summary: 'this API as an OpenAPI 3.1 description',
        description: "Generated from the routes' own declarations: paths, who may call, request and response schemas, refusals.",
        responses: { 200: json(documentSchema, 'The OpenAPI 3.1 document.') },
      },
      (c) => c.json(documentFor(c.get('services').config) as z.input<typeof documentSchema>),
    )
    .add(
      {
        method: 'get',
        path: '/reference',
        access: 'public',
        summary: 'the readable API reference (HTML, no scripts)',
        responses: { 200: media(['text/html'], 'The reference page, rendered on the hub: it needs no network and no script.') },
      },
      (c) => {
        // The page runs nothing: inline styles only, so it reads the same offline.
        c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
        return c.html(referencePage(documentFor(c.get('services').config)));
      },
    );
}
