import { SERVER_PATHS } from '../../shared/server-paths.ts';

// Path-based routing for the static app: the hub (Node, Workers assets, CloudFront) answers unknown
// non-API paths with index.html, so a dataset page or a PID redirect lands on a real URL.

/** `/catalogue/datasets/:id` against `/catalogue/datasets/abc` gives `{ id: 'abc' }`; no match gives null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

/** False for the paths the hub itself answers (shared/server-paths.ts): a click on them must reach the server. */
export function isClientPath(url: URL): boolean {
  return url.origin === location.origin && !SERVER_PATHS.some((p) => url.pathname === p.replace(/\/$/, '') || url.pathname.startsWith(p));
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** Moves to another page of the app without reloading it. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const l of listeners) l();
}

/** Calls `cb` on every navigation: links, back/forward, `navigate()`. */
export function onNavigate(cb: Listener): void {
  listeners.add(cb);
  if (listeners.size === 1) {
    addEventListener('popstate', () => {
      for (const l of listeners) l();
    });
    // Plain <a href> links inside the app stay plain links (middle-click, copy link work) but
    // navigate in place on a normal click.
    document.addEventListener('click', (event) => {
      const a = (event.target as Element | null)?.closest?.('a');
      if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      if (a.target || a.hasAttribute('download') || !a.href) return;
      const url = new URL(a.href);
      if (!isClientPath(url)) return;
      event.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    });
  }
}
