// The researcher app: log in through the federation's OpenID Connect provider, then run
// federated searches. Every call to the hub goes through its typed client.
import type { User } from 'oidc-client-ts';
import { ApiError, hubClient, okJson } from './api.ts';
import { type Auth, createAuth } from './auth.ts';
import { h, replace } from './dom.ts';
import { accessHistoryLink } from './views/access-history.ts';
import { enrolView, welcomeView } from './views/enrol.ts';
import { errorBox } from './views/error-box.ts';
import { explorerPage } from './views/explorer-page.ts';
import { renderHeader } from './views/header.ts';

function mountPoint(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el;
}

const account = mountPoint('account');
const main = mountPoint('app');
let user: User | null = null;
const client = hubClient(() => user?.access_token);

/** Draws the page for whoever is (or is not) logged in now. */
async function render(auth: Auth): Promise<void> {
  user = await auth.currentUser();
  if (!user) {
    renderHeader(account, { kind: 'anonymous', onLogIn: () => logIn(auth) });
    replace(main, welcomeView());
    return;
  }
  const me = await okJson(await client.api.v1.me.$get()).catch(async (err) => {
    // A token the hub refuses (revoked, wrong audience) is useless: drop it so the user can log in again.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
    await auth.logOut();
    user = null;
    renderHeader(account, { kind: 'anonymous', onLogIn: () => logIn(auth) });
    replace(main, errorBox(err, 'The hub did not accept your login'));
    return null;
  });
  if (!me) return;
  renderHeader(account, {
    kind: 'user',
    me,
    onLogOut: () => {
      auth.logOut().then(() => render(auth).catch(showFatal));
    },
  });
  if (!(me.member || !me.enrol)) {
    replace(main, enrolView(me.enrol));
    return;
  }
  const catalogue = await okJson(await client.api.v1.search.catalogue.$get());
  replace(main, explorerPage(client, catalogue));
  // Dataset representatives and admins reach the access history (tracer) from below the search.
  const history = accessHistoryLink(client, me, main);
  if (history) main.append(history);
}

function logIn(auth: Auth): void {
  auth.logIn().catch((err) => replace(main, errorBox(err, 'Could not reach the identity provider')));
}

function showFatal(err: unknown): void {
  replace(main, errorBox(err, 'The app could not start'));
}

async function start(): Promise<void> {
  replace(main, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const config = await okJson(await client.api.v1['web-config'].$get());
  const auth = createAuth(config);
  auth.onExpired(() => render(auth).catch(showFatal));
  try {
    await auth.completeRedirect();
  } catch (err) {
    // A failed or cancelled sign-in still leaves a usable page with a login button.
    await render(auth);
    main.prepend(errorBox(err, 'Sign-in did not complete'));
    return;
  }
  await render(auth);
}

start().catch(showFatal);
