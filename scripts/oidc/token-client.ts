// Fetches hub access tokens from the local provider without a browser, through the demo-password grant.
import { USER_SCOPE } from '../../functions/identity/scopes.ts';
import { DEMO_PASSWORD } from './accounts.ts';
import { DEMO_PASSWORD_GRANT } from './clients.ts';
import { readCliClient } from './data-dir.ts';

export interface DemoTokenRequest {
  /** The provider's issuer, e.g. `http://127.0.0.1:8081/oidc/`. */
  issuer: string;
  /** The provider's data dir, where it wrote the CLI client's secret. */
  dataDir: string;
  username: string;
  /** Defaults to the demo password. */
  password?: string;
  /** Defaults to what the web app asks for, `eduperson_entitlement` (the user's groups) included. */
  scope?: string;
}

async function tokenEndpoint(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`OIDC discovery at ${issuer} answered ${res.status}`);
  const { token_endpoint } = (await res.json()) as { token_endpoint?: unknown };
  if (typeof token_endpoint !== 'string') throw new Error(`OIDC discovery at ${issuer} names no token endpoint`);
  return token_endpoint;
}

/** Returns a hub access token (a JWT) for a demo account; throws with the provider's reason on refusal. */
export async function fetchDemoToken(req: DemoTokenRequest): Promise<string> {
  const client = await readCliClient(req.dataDir);
  // RFC 6749 2.3.1: both parts are form-encoded before they are joined and base64-encoded.
  const basic = btoa(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`);
  const res = await fetch(await tokenEndpoint(req.issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: DEMO_PASSWORD_GRANT,
      username: req.username,
      password: req.password ?? DEMO_PASSWORD,
      scope: req.scope ?? USER_SCOPE,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== 'string') {
    const reason = [body.error, body.error_description].filter((s) => typeof s === 'string').join(': ');
    throw new Error(`token request for ${req.username} refused (${res.status}${reason ? ` ${reason}` : ''})`);
  }
  return body.access_token;
}
