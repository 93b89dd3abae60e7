// The page a browser gets for a withdrawn dataset's PID: what it was, when and why it was withdrawn.
// hono/html escapes every interpolated value (titles and reasons are user text).
import { html } from 'hono/html';

export interface Tombstone {
  id: string;
  pid: string;
  state: 'withdrawn';
  title: string;
  withdrawnAt: string | null;
  reason: string | null;
}

export function tombstonePage(t: Tombstone) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Withdrawn: ${t.title}</title></head>
<body><main>
<h1>${t.title}</h1>
<p>This dataset was withdrawn from the EUCAIM catalogue on <time datetime="${t.withdrawnAt ?? ''}">${t.withdrawnAt ?? 'an unknown date'}</time>.</p>
<p>Reason: ${t.reason ?? 'not given'}</p>
<p>Identifier: <code>${t.pid}</code></p>
</main></body></html>`;
}
