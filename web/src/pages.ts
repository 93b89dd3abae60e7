// Every page of the web app, in one list: its path, who may see it, and how it is drawn.
// A capability adds its pages here with one import and one entry.
import type { Catalogue, HubClient, Me } from './api.ts';
import { okJson } from './api.ts';
import { h } from './dom.ts';
import { accessHistoryLink, accessHistoryView, canReadHistory } from './views/access-history.ts';
import { cataloguePages } from './views/catalogue-pages.ts';
import { explorerPage } from './views/explorer-page.ts';
import { explorerSessionPage } from './views/explorer-session.ts';
import { helpdeskPages } from './views/helpdesk-pages.ts';
import { myDatasetsPage } from './views/my-datasets.ts';
import { negotiationAdminPage } from './views/negotiation-admin.ts';
import { negotiationFormPage } from './views/negotiation-form.ts';
import { negotiationLifecyclePage } from './views/negotiation-lifecycle.ts';
import { myNegotiationsPage } from './views/negotiation-list.ts';
import { negotiationPage } from './views/negotiation-page.ts';
import { negotiationRequestPage } from './views/negotiation-request.ts';
import { processingPages } from './views/processing-pages.ts';

/** Who may open a page: anyone, any logged-in user, federation members, or platform admins. */
export type PageAccess = 'public' | 'user' | 'member' | 'admin';

/** The site navigation's menus: a page names the one it belongs to. */
export type NavGroup = 'Find data' | 'Access' | 'Analyse' | 'Contribute' | 'Help' | 'Admin';

export interface PageContext {
  client: HubClient;
  /** Null for anonymous visitors (only on public pages). */
  me: Me | null;
  /** The `:name` parts of the page's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Sends the visitor to log in and back to this page. */
  logIn(): void;
  navigate(to: string): void;
}

export interface Page {
  /** Like `/catalogue/datasets/:id`. */
  path: string;
  title: string;
  access: PageAccess;
  /**
   * Shown in the site navigation when set, in the menu named by `group`; lower `order` first (the
   * researcher's way through: Dashboard, Catalogue, Search, Cart, Requests, ..., Help), and a group
   * sits where its first link would. `from` makes the link carry `?from=<the page the visitor is on>`.
   */
  nav?: { label: string; order: number; group: NavGroup; from?: boolean };
  render(ctx: PageContext): Node | Promise<Node>;
}

let catalogueCache: Promise<Catalogue> | undefined;
/** The search filter catalogue rarely changes: fetched once per page load. */
function searchCatalogue(client: HubClient): Promise<Catalogue> {
  catalogueCache ??= client.api.v1.search.catalogue
    .$get()
    .then((res) => okJson(res))
    .catch((err) => {
      catalogueCache = undefined;
      throw err;
    });
  return catalogueCache;
}

async function searchPage(ctx: PageContext): Promise<Node> {
  const page = h('div', {}, explorerPage(ctx.client, await searchCatalogue(ctx.client)));
  // Dataset representatives and admins reach the access history (tracer) from below the search.
  const history = ctx.me && accessHistoryLink(ctx.me);
  if (history) page.append(history);
  return page;
}

export const pages: Page[] = [
  ...cataloguePages,
  {
    path: '/search',
    title: 'Federated search',
    access: 'member',
    nav: { label: 'Search', order: 20, group: 'Find data' },
    render: searchPage,
  },
  {
    path: '/access-history',
    title: 'Access history',
    access: 'user',
    render: (ctx) =>
      ctx.me && canReadHistory(ctx.me)
        ? accessHistoryView(ctx.client, ctx.me)
        : h('p', { 'data-testid': 'forbidden' }, 'Only dataset representatives and admins read access histories.'),
  },
  {
    path: '/negotiation/lifecycle',
    title: 'How access requests move',
    access: 'public',
    nav: { label: 'Access process', order: 50, group: 'Access' },
    render: (ctx) => negotiationLifecyclePage(ctx.client),
  },
  {
    // A Lens explorer sends its user here to log in; the hub then serves it as its Spot (functions/spot).
    path: '/explorer-session',
    title: 'Explorer login',
    access: 'member',
    render: (ctx) => explorerSessionPage(ctx.client, ctx.query),
  },
  { path: '/negotiation/form-preview', title: 'Application form', access: 'member', render: (ctx) => negotiationFormPage(ctx.client) },
  {
    path: '/negotiations',
    title: 'My access requests',
    access: 'member',
    nav: { label: 'Requests', order: 40, group: 'Access' },
    render: (ctx) => myNegotiationsPage(ctx.client),
  },
  {
    path: '/my-datasets',
    title: 'My datasets',
    access: 'user',
    nav: { label: 'My datasets', order: 75, group: 'Access' },
    render: (ctx) => myDatasetsPage(ctx.client),
  },
  {
    path: '/negotiation/admin',
    title: 'Access requests: form and webhooks',
    access: 'admin',
    nav: { label: 'Request forms', order: 96, group: 'Admin' },
    render: (ctx) => negotiationAdminPage(ctx.client, () => ctx.navigate(location.pathname)),
  },
  {
    path: '/negotiation/requests/:id',
    title: 'Start an access request',
    access: 'member',
    render: (ctx) => negotiationRequestPage(ctx.client, ctx.params.id ?? '', ctx.navigate),
  },
  {
    path: '/negotiations/:id',
    title: 'Access request',
    access: 'user',
    render: (ctx) =>
      ctx.me
        ? negotiationPage(ctx.client, ctx.me, ctx.params.id ?? '', () => ctx.navigate(location.pathname))
        : h('p', {}, 'Log in to see this request.'),
  },
  ...helpdeskPages,
  ...processingPages,
];
