import type { Me } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { Page } from '../pages.ts';

function visible(page: Page, me: Me | null): boolean {
  if (page.access === 'public') return true;
  if (!me) return false;
  if (page.access === 'admin') return me.roles.includes('platform_admin');
  if (page.access === 'member') return me.member;
  return true;
}

/** A link that asks to know where the visitor was (Help) carries this page's address along. */
function navHref(page: Page): string {
  const here = location.pathname + location.search;
  if (!page.nav?.from || location.pathname === page.path) return page.path;
  return `${page.path}?from=${encodeURIComponent(here)}`;
}

/** The site's main links: the pages that ask for a place in the navigation and this visitor may open. */
export function renderNav(el: HTMLElement, pages: Page[], me: Me | null): void {
  const items = pages.filter((p) => p.nav && visible(p, me)).sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
  replace(
    el,
    h(
      'ul',
      {},
      ...items.map((p) => {
        const a = h('a', { href: navHref(p), 'aria-current': location.pathname === p.path ? 'page' : undefined, 'data-testid': `nav-${p.path.slice(1).replaceAll('/', '-')}` }, p.nav?.label ?? p.title);
        // Pages change their own query (filters) without redrawing the nav: refresh `from` when used.
        if (p.nav?.from) for (const on of ['pointerenter', 'focus', 'click']) a.addEventListener(on, () => a.setAttribute('href', navHref(p)));
        return h('li', {}, a);
      }),
    ),
  );
}
