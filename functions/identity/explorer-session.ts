import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { and, eq, gt, lt } from 'drizzle-orm';
import { base64url, decodeJwt } from 'jose';
import { AppError } from '../../shared/errors.ts';
import type { HubConfig } from '../config.ts';
import type { HubEnv } from '../env.ts';
import { explorerSessions } from './explorer-session.sql.ts';
import type { VerifiedUser } from './principal.ts';

/**
 * The explorer session: how a Samply Lens explorer, which calls its Spot from the browser with cookies
 * and opens an EventSource that cannot carry an Authorization header, reaches the hub's Spot routes.
 *
 * - Opened with a bearer token (`POST /api/v1/spot/session`, the web app does it after the OIDC login),
 *   never with the cookie itself, so a session cannot extend itself past the token it came from.
 * - The cookie holds a random 256-bit secret; the database keeps only its SHA-256, the subject, the user
 *   as the token and the provider's userinfo described them, and the token's expiry (at most 12 h).
 * - HttpOnly; SameSite=Strict, so no cross-site page can make the browser send it (an explorer must be
 *   same-site with the hub, e.g. explorer.example.org and hub.example.org, or one origin). Over https it
 *   is `__Host-eucaim_spot`: Secure, Path=/ and no Domain, which browsers enforce for that prefix, so a
 *   sibling site (same-site by design here) cannot plant its own session in the user's browser and
 *   read the user's searches under it. That prefix needs Path=/, so the cookie reaches every path of the
 *   hub, but only routes declared `explorer` (the Spot routes) ever accept it (`authenticate`).
 * - A request that uses it must come from the hub's own origin or one of SPOT_EXPLORER_ORIGINS: a
 *   present Origin outside that list is refused, and a POST or DELETE must carry one (browsers always
 *   send it there). Same-site is not same-origin: this stops a sibling site's page.
 */
export const MAX_SESSION_SECONDS = 12 * 3600;

const secure = (config: HubConfig) => config.PUBLIC_URL.startsWith('https:');
/** The cookie's name: `__Host-` (browsers take it only Secure, Path=/, without Domain) where the hub is served over https. */
export const sessionCookieName = (publicUrl: string) => (publicUrl.startsWith('https:') ? '__Host-eucaim_spot' : 'eucaim_spot');

/** The origins whose pages may use the explorer session (and get CORS with credentials): the hub's own first. */
export function explorerOrigins(config: HubConfig): string[] {
  return [new URL(config.PUBLIC_URL).origin, ...config.SPOT_EXPLORER_ORIGINS];
}

/** Refuses a request that would use or change the explorer session from a page the hub does not serve as an explorer. */
export function checkExplorerOrigin(c: Context<HubEnv>): void {
  const origin = c.req.header('origin');
  const config = c.get('services').config;
  if (origin === undefined) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return;
    throw new AppError('forbidden', 'a request that uses the explorer session must carry its Origin header');
  }
  if (!explorerOrigins(config).includes(origin))
    throw new AppError('forbidden', `pages of ${origin} may not use the explorer session: it is not one of the hub's explorer origins`);
}

async function digest(secret: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Opens a session for a user whose bearer token the hub has just verified; sets the cookie and answers its expiry. */
export async function openExplorerSession(c: Context<HubEnv>, user: VerifiedUser, token: string): Promise<Date> {
  const s = c.get('services');
  const now = s.clock.now();
  // The token was verified by `authenticate`: its `exp` is the provider's word.
  const tokenExp = decodeJwt(token).exp;
  const seconds = Math.min(MAX_SESSION_SECONDS, Math.floor((tokenExp ?? 0) - now.getTime() / 1000));
  if (seconds <= 0) throw new AppError('unauthenticated', 'the access token has expired; log in again');
  const expiresAt = new Date(now.getTime() + seconds * 1000);
  const secret = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  // Expired sessions are forgotten whenever a new one opens (indexed by expiry); nothing else needs them.
  await s.db.delete(explorerSessions).where(lt(explorerSessions.expiresAt, now));
  await s.db.insert(explorerSessions).values({ id: await digest(secret), subject: user.sub, user, createdAt: now, expiresAt });
  setCookie(c, sessionCookieName(s.config.PUBLIC_URL), secret, {
    path: '/',
    httpOnly: true,
    secure: secure(s.config),
    sameSite: 'Strict',
    maxAge: seconds,
  });
  return expiresAt;
}

/**
 * The user of the explorer session this request carries, or undefined without a cookie. A cookie that
 * names no live session is a 401 (the explorer sends the user to log in again); an Origin outside the
 * explorer origins is a 403.
 */
export async function explorerSessionUser(c: Context<HubEnv>): Promise<VerifiedUser | undefined> {
  const s = c.get('services');
  const secret = getCookie(c, sessionCookieName(s.config.PUBLIC_URL));
  if (!secret) return undefined;
  checkExplorerOrigin(c);
  const [row] = await s.db
    .select({ user: explorerSessions.user })
    .from(explorerSessions)
    .where(and(eq(explorerSessions.id, await digest(secret)), gt(explorerSessions.expiresAt, s.clock.now())));
  if (!row) throw new AppError('unauthenticated', 'the explorer session has ended; log in again');
  return row.user;
}

/** Ends the session this request carries (if any) and clears the cookie; without a cookie there is nothing to end. */
export async function closeExplorerSession(c: Context<HubEnv>): Promise<void> {
  const s = c.get('services');
  const secret = getCookie(c, sessionCookieName(s.config.PUBLIC_URL));
  if (!secret) return;
  checkExplorerOrigin(c);
  await s.db.delete(explorerSessions).where(eq(explorerSessions.id, await digest(secret)));
  deleteCookie(c, sessionCookieName(s.config.PUBLIC_URL), {
    path: '/',
    secure: secure(s.config),
    httpOnly: true,
    sameSite: 'Strict',
  });
}
