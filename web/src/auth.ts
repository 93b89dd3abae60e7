import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

/** What `GET /api/v1/web-config` tells the app about the identity provider. */
export interface WebConfig {
  issuer: string;
  clientId: string;
  audience: string;
  scope: string;
}

export interface Auth {
  /**
   * Finishes a sign-in if the provider just sent the browser back here; then cleans the URL.
   * Answers the app path the user logged in from, if any.
   */
  completeRedirect(): Promise<string | undefined>;
  /** The signed-in user with a still-valid access token, or null. */
  currentUser(): Promise<User | null>;
  /** Off to the provider; `returnTo` (a path of this app) is where the user lands afterwards. */
  logIn(returnTo?: string): Promise<void>;
  /** Local sign-out: forgets the tokens in this tab; the provider session is left alone. */
  logOut(): Promise<void>;
  onExpired(cb: () => void): void;
}

export function createAuth(config: WebConfig): Auth {
  const redirectUri = `${location.origin}/`;
  const manager = new UserManager({
    // LS-AAI's issuer ends in a slash (`…/oidc/`); oidc-client-ts finds discovery either way and checks
    // the ID token's `iss` against what discovery states.
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: redirectUri,
    post_logout_redirect_uri: redirectUri,
    response_type: 'code',
    // The hub's list, `eduperson_entitlement` included: without that scope LS-AAI does not release the
    // user's groups at userinfo and the hub would see every user as a non-member.
    scope: config.scope,
    // sessionStorage: tokens die with the tab and are not shared with other tabs or later visitors.
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    // The hub reads userinfo (groups, name) itself with the access token; the app needs only that token.
    // There is no silent-renew page to refresh from.
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
  });

  return {
    async completeRedirect() {
      const params = new URLSearchParams(location.search);
      const isCallback = params.has('state') && (params.has('code') || params.has('error'));
      if (!isCallback) return undefined;
      try {
        const user = await manager.signinCallback(location.href);
        // Only a path on this site: the state is ours, but a path is all a return address needs.
        const back = user?.url_state;
        return back?.startsWith('/') && !back.startsWith('//') ? back : undefined;
      } finally {
        // The code is single-use; leaving it in the address bar only invites a failing reload.
        history.replaceState(history.state, '', location.pathname);
      }
    },
    async currentUser() {
      const user = await manager.getUser();
      if (!user) return null;
      if (user.expired) {
        await manager.removeUser();
        return null;
      }
      return user;
    },
    logIn: (returnTo) => manager.signinRedirect(returnTo ? { url_state: returnTo } : undefined),
    logOut: () => manager.removeUser(),
    onExpired(cb) {
      manager.events.addAccessTokenExpired(() => {
        manager.removeUser().finally(cb);
      });
    },
  };
}
