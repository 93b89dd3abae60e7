// The site navigation: one disclosure menu per group of pages (WAI-ARIA's disclosure pattern: a
// button with aria-expanded opening a plain list of links), so a researcher scans a handful of
// groups instead of one long row of links.
import type { Me } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { NavGroup, Page } from '../pages.ts';

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

type NavPage = Page & { nav: NonNullable<Page['nav']> };

export interface NavSection {
  group: NavGroup;
  pages: Page[];
}

/**
 * The pages this visitor may open that ask for a place in the navigation, by group: links in
 * `order`, and each group where its first link falls in that order.
 */
export function navSections(pages: Page[], me: Me | null): NavSection[] {
  const sections: NavSection[] = [];
  const items = pages.filter((p): p is NavPage => p.nav !== undefined && visible(p, me)).sort((a, b) => a.nav.order - b.nav.order);
  for (const page of items) {
    const section = sections.find((s) => s.group === page.nav.group);
    if (section) section.pages.push(page);
    else sections.push({ group: page.nav.group, pages: [page] });
  }
  return sections;
}

/** Admins look for their tools under Admin whatever it holds; other single links stand alone. */
const ALWAYS_A_MENU: ReadonlySet<NavGroup> = new Set(['Admin']);

const slug = (text: string) => text.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-');

function navLink(p: Page): HTMLAnchorElement {
  const a = h(
    'a',
    {
      href: navHref(p),
      class: 'nav-link',
      'aria-current': location.pathname === p.path ? 'page' : undefined,
      'data-testid': `nav-${p.path.slice(1).replaceAll('/', '-')}`,
    },
    p.nav?.label ?? p.title,
  );
  // Pages change their own query (filters) without redrawing the nav: refresh `from` when used.
  if (p.nav?.from) for (const on of ['pointerenter', 'focus', 'click']) a.addEventListener(on, () => a.setAttribute('href', navHref(p)));
  return a;
}

interface Menu {
  item: HTMLElement;
  button: HTMLButtonElement;
  list: HTMLElement;
}

function setOpen(menu: Menu, open: boolean): void {
  menu.button.setAttribute('aria-expanded', String(open));
  menu.list.hidden = !open;
}

// The nav is redrawn on every page change: the previous drawing's document listener goes with it.
let stopListening: AbortController | undefined;

/** The site's main links: the pages that ask for a place in the navigation and this visitor may open. */
export function renderNav(el: HTMLElement, pages: Page[], me: Me | null): void {
  stopListening?.abort();
  stopListening = new AbortController();
  const menus: Menu[] = [];
  const closeAll = () => {
    for (const m of menus) setOpen(m, false);
  };

  const entries = navSections(pages, me).map(({ group, pages: links }) => {
    if (links.length === 1 && !ALWAYS_A_MENU.has(group)) return h('li', {}, navLink(links[0] as Page));
    const id = `nav-menu-${slug(group)}`;
    const current = links.some((p) => p.path === location.pathname);
    const list = h('ul', { id, class: 'nav-menu', hidden: true }, ...links.map((p) => h('li', {}, navLink(p))));
    const button = h(
      'button',
      {
        type: 'button',
        class: 'nav-toggle',
        'aria-expanded': 'false',
        'aria-controls': id,
        'aria-current': current ? 'true' : undefined,
        'data-testid': `nav-group-${slug(group)}`,
      },
      group,
    );
    const item = h('li', { class: 'nav-group' }, button, list);
    const menu = { item, button, list };
    menus.push(menu);
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') !== 'true';
      closeAll();
      setOpen(menu, open);
    });
    item.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || list.hidden) return;
      event.preventDefault();
      setOpen(menu, false);
      button.focus();
    });
    // Tabbing on past the last link (or back before the button) closes the menu behind the focus.
    item.addEventListener('focusout', (event) => {
      const to = event.relatedTarget;
      if (to instanceof Node && !item.contains(to)) setOpen(menu, false);
    });
    return item;
  });

  document.addEventListener(
    'click',
    (event) => {
      // A click anywhere but in an open menu's own group closes it.
      for (const m of menus) if (!(event.target instanceof Node && m.item.contains(event.target))) setOpen(m, false);
    },
    { signal: stopListening.signal },
  );
  replace(el, h('ul', { class: 'nav-bar' }, ...entries));
}
