// The API reference as one server-rendered page: no script and no CDN, so it reads the same offline,
// on an air-gapped node's browser and on every runtime. hono/html escapes every interpolated value.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ApiDocument } from './document.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { description?: string; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** `code` spans and **strong** words of the descriptions, on text escaped first. */
function inline(text: string): Html {
  const escaped = text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return raw(escaped.replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>'));
}

function schemaBlock(label: string, schema: unknown): Html {
  if (schema === undefined) return html``;
  return html`<details><summary>${label}</summary><pre>${JSON.stringify(schema, null, 2)}</pre></details>`;
}

function content(c: Record<string, { schema?: unknown }> | undefined): Html[] {
  return Object.entries(c ?? {}).map(([type, m]) => html`<div><code>${type}</code>${schemaBlock('schema', m.schema)}</div>`);
}

function operationView(method: string, path: string, op: Operation): Html {
  const params = op.parameters ?? [];
  return html`<section class="op" id="${op.operationId ?? ''}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${path}</code></h3>
<p>${op.summary ?? ''}</p>
${(op.description ?? '').split('\n\n').map((p) => html`<p>${inline(p)}</p>`)}
${
  params.length
    ? html`<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>
${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${JSON.stringify(p.schema ?? {})}</code></td></tr>`)}</table>`
    : ''
}
${op.requestBody ? html`<h4>Body</h4>${op.requestBody.description ? html`<p>${inline(op.requestBody.description)}</p>` : ''}${content(op.requestBody.content)}` : ''}
<h4>Responses</h4>
<dl>${Object.entries(op.responses ?? {}).map(([status, r]) => html`<dt>${status}</dt><dd>${inline(r.description ?? '')}${content(r.content)}</dd>`)}</dl>
</section>`;
}

/** The whole reference: tags in the description's order, each with its operations. */
export function referencePage(doc: ApiDocument): Html {
  const ops: { tag: string; method: string; path: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) ops.push({ tag: op.tags?.[0] ?? '', method, path, op });
    }
  }
  const tags = doc.tags ?? [];
  const schemes = Object.entries(doc.components?.securitySchemes ?? {}) as [string, { description?: string }][];
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem 1.5rem;color:#1b1b1b}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f4f4;padding:.5rem;overflow:auto}
.op{border-top:1px solid #ddd;padding:.25rem 0}.m{display:inline-block;min-width:4.5rem;font-weight:700}
.get{color:#0a6b2d}.post{color:#0b4f9c}.put,.patch{color:#8a5300}.delete{color:#a1161b}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top}
dt{font-weight:700}nav a{margin-right:.75rem}
</style></head>
<body><header><h1>${doc.info.title} <small>${doc.info.version}</small></h1>
<p>${inline(doc.info.description ?? '')}</p>
<p>Server: <code>${doc.servers?.[0]?.url ?? ''}</code>. Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${doc.openapi}).</p>
<nav>${tags.map((t) => html`<a href="#tag-${t.name.replace(/[^A-Za-z0-9]+/g, '-')}">${t.name}</a>`)}</nav>
<h2>Credentials</h2>
<dl>${schemes.map(([name, s]) => html`<dt>${name}</dt><dd>${inline(s.description ?? '')}</dd>`)}</dl></header>
<main>${tags.map(
    (t) => html`<h2 id="tag-${t.name.replace(/[^A-Za-z0-9]+/g, '-')}">${t.name}</h2><p>${inline(t.description ?? '')}</p>
${ops.filter((o) => o.tag === t.name).map((o) => operationView(o.method, o.path, o.op))}`,
  )}</main></body></html>`;
}
