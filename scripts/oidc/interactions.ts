// The provider's own sign-in page. oidc-provider's devInteractions accept any name and ignore the
// password; this page checks the demo password so the browser flow behaves like LS-AAI's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, findDemoAccount } from './accounts.ts';
import { FIRST_PARTY_CLIENTS } from './clients.ts';
import { isDemoPassword } from './demo-password-grant.ts';

const MAX_FORM_BYTES = 8 * 1024;
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // No form-action: browsers apply it to the redirects after the post, which end at the web app.
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
.error{color:#b00020}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function loginForm(base: string, uid: string, username: string, error?: string): string {
  const names = DEMO_ACCOUNTS.map((a) => `<code>${escapeHtml(a.sub)}</code>`).join(', ');
  return `<p>Local demo identity provider. Accounts: ${names}; password <code>${escapeHtml(DEMO_PASSWORD)}</code>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${base}/interaction/${uid}/login" autocomplete="off">
<label>Username <input name="username" required autofocus value="${escapeHtml(username)}"></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button> <a href="${base}/interaction/${uid}/abort">Cancel</a></form>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** First-party clients get every scope they asked for, as LS-AAI does for registered services. */
async function grantConsent(provider: Provider, details: InteractionDetails): Promise<string | undefined> {
  const clientId = String(details.params.client_id);
  const accountId = details.session?.accountId;
  if (!FIRST_PARTY_CLIENTS.has(clientId) || !accountId) return undefined;
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}

/**
 * Handles `/interaction/...` (the path below the issuer's; `base` is the issuer's path, for the links
 * the pages hold); returns false for any other path so the provider can answer it.
 */
export function createInteractionHandler(provider: Provider, base: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const [, uid = '', action] = match;
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendPage(res, 400, 'Sign-in expired', '<p>This sign-in attempt is no longer valid. Start again from the application.</p>');
      return true;
    }
    if (details.uid !== uid) {
      sendPage(res, 400, 'Sign-in mismatch', '<p>This page belongs to another sign-in attempt.</p>');
      return true;
    }

    if (action === '/abort' && req.method === 'GET') {
      const result = { error: 'access_denied', error_description: 'the user cancelled the sign-in' };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    } else if (action === '/login' && req.method === 'POST') {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const account = findDemoAccount(username);
      if (!account || !isDemoPassword(form.get('password') ?? '')) {
        sendPage(res, 401, 'Sign in to EUCAIM', loginForm(base, uid, username, 'Unknown user or wrong password.'));
        return true;
      }
      await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    } else if (action === undefined && req.method === 'GET' && details.prompt.name === 'login') {
      const hint = details.params.login_hint;
      sendPage(res, 200, 'Sign in to EUCAIM', loginForm(base, uid, typeof hint === 'string' ? hint : ''));
    } else if (action === undefined && req.method === 'GET' && details.prompt.name === 'consent') {
      const grantId = await grantConsent(provider, details);
      const result = grantId ? { consent: { grantId } } : { error: 'access_denied', error_description: 'this client is not allowed here' };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
    } else {
      sendPage(res, 405, 'Not allowed', '<p>This request is not part of a sign-in.</p>');
    }
    return true;
  };
}
