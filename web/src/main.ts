// The web app: public pages for everyone, member pages after logging in through the federation's
// OpenID Connect provider. Every call to the hub goes through its typed client; every page is an
// entry of `pages.ts`.
import type { User } from 'oidc-client-ts';
import { ApiError, hubClient, type Me, okJson } from './api.ts';
import { type Auth, createAuth } from './auth.ts';
import { h, replace } from './dom.ts';
import { type Page, type PageAccess, pages } from './pages.ts';
import { matchPath, navigate, onNavigate } from './router.ts';
import { enrolView, welcomeView } from './views/enrol.ts';
import { errorBox } from './views/error-box.ts';
import { renderHeader } from './views/header.ts';
import { renderNav } from './views/site-nav.ts';

function mountPoint(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el;
}

const account = mountPoint('account');
const siteNav = mountPoint('site-nav');
const main = mountPoint('app');
let user: User | null = null;
const client = hubClient(() => user?.access_token);

/** Who is logged in, as the hub sees them; null when anonymous or when the hub refuses the token. */
async function loadMe(auth: Auth): Promise<Me | null> {
  user = await auth.currentUser();
  if (!user) return null;
  try {
    return await okJson(await client.api.v1.me.$get());
  } catch (err) {
    // A token the hub refuses (revoked, wrong audience) is useless: drop it so the user can log in again.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
    await auth.logOut();
    user = null;
    main.prepend(errorBox(err, 'The hub did not accept your login'));
    return null;
  }
}

function findPage(path: string): { page: Page; params: Record<string, string> } | null {
  for (const page of pages) {
    const params = matchPath(page.path, path);
    if (params) return { page, params };
  }
  return null;
}

/** What stands between this visitor and a page, or null when they may see it. */
function gate(access: PageAccess, me: Me | null): HTMLElement | null {
  if (access === 'public') return null;
  if (!me) return welcomeView();
  if (access === 'user') return null;
  if (!me.member && me.enrol) return enrolView(me.enrol);
  if (access === 'admin' && !me.roles.includes('platform_admin'))
    return h('p', { class: 'card', 'data-testid': 'forbidden' }, 'This page is for platform admins.');
  return null;
}

let me: Me | null = null;

/** Draws the header and the page at the current address. */
async function render(auth: Auth): Promise<void> {
  const logIn = () =>
    auth.logIn(location.pathname + location.search).catch((err) => replace(main, errorBox(err, 'Could not reach the identity provider')));
  if (me)
    renderHeader(account, {
      kind: 'user',
      me,
      client,
      onLogOut: () =>
        // The explorer session (if one was opened) ends with the login it came from.
        void Promise.all([client.api.v1.spot.session.$delete().catch(() => undefined), auth.logOut()])
          .then(() => start(auth))
          .catch(showFatal),
    });
  else renderHeader(account, { kind: 'anonymous', onLogIn: logIn });
  renderNav(siteNav, pages, me);
  const found = findPage(location.pathname);
  if (!found) {
    document.title = 'Not found · EUCAIM';
    replace(
      main,
      h(
        'section',
        { class: 'card', 'data-testid': 'not-found' },
        h('h2', {}, 'Page not found'),
        h('p', {}, h('a', { href: '/' }, 'Back to the start')),
      ),
    );
    return;
  }
  const { page, params } = found;
  document.title = `${page.title} · EUCAIM`;
  const blocked = gate(page.access, me);
  if (blocked) {
    replace(main, blocked);
    return;
  }
  replace(main, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const view = await page.render({ client, me, params, query: new URLSearchParams(location.search), logIn, navigate });
  replace(main, view);
}

function showFatal(err: unknown): void {
  replace(main, errorBox(err, 'The app could not start'));
}

async function start(auth: Auth): Promise<void> {
  me = await loadMe(auth);
  await render(auth);
}

async function boot(): Promise<void> {
  replace(main, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const config = await okJson(await client.api.v1['web-config'].$get());
  const auth = createAuth(config);
  auth.onExpired(() => start(auth).catch(showFatal));
  onNavigate(() => render(auth).catch((err) => replace(main, errorBox(err, 'This page could not be shown'))));
  try {
    const returnTo = await auth.completeRedirect();
    if (returnTo) history.replaceState(null, '', returnTo);
  } catch (err) {
    // A failed or cancelled sign-in still leaves a usable page with a login button.
    await start(auth);
    main.prepend(errorBox(err, 'Sign-in did not complete'));
    return;
  }
  await start(auth);
}

boot().catch(showFatal);
