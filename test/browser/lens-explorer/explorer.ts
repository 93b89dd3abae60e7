// A minimal EUCAIM explorer built from Samply Lens's own components (the npm package @samply/lens),
// pointed at the hub as its Spot. What Lens leaves to the application is done here the way the EUCAIM
// explorer does it (samply/eucaim-frontend, branch lens-updates: `src/services/spot.ts` and
// `backend.service.ts`): the query wrapped twice in base64, `POST <spotUrl>/beam` and an EventSource on
// `<spotUrl>/beam/<id>`, both with the browser's cookies (`credentials: 'include'`, `withCredentials`),
// each `new_result` put into Lens's stores (claimed, succeeded with the provider answer, else removed),
// with the answer's counts summed per provider as that explorer sums them. The login is the hub's: a
// page without a session links to the hub's web app, which opens the explorer session and comes back.
import {
  clearSiteResults,
  getAst,
  type LensResult,
  markSiteClaimed,
  removeFailedSite,
  setCatalogue,
  setOptions,
  setSiteResult,
} from '@samply/lens';

interface Config {
  /** `<hub>/api/v1/spot`: the hub as this explorer's Spot. */
  spotUrl: string;
  /** Where the hub's web app logs the user in and opens the explorer session. */
  hubUrl: string;
  catalogueUrl: string;
}
interface Provider {
  provider: string;
  collections: { name: string; subjects_count: number; studies_count: number }[];
}

const config = JSON.parse(document.getElementById('explorer-config')?.textContent ?? '{}') as Config;
const login = document.getElementById('login') as HTMLElement;
const problems = document.getElementById('problems') as HTMLElement;

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

function showLogin(): void {
  const link = document.createElement('a');
  link.href = `${config.hubUrl}/explorer-session?return=${encodeURIComponent(location.href)}`;
  link.textContent = 'Log in';
  link.dataset.testid = 'explorer-log-in';
  login.replaceChildren(link);
}

async function checkSession(): Promise<void> {
  const res = await fetch(`${config.spotUrl}/session`, { credentials: 'include' });
  if (!res.ok) return showLogin();
  const who = (await res.json()) as { name: string | null; sub: string };
  login.textContent = `Logged in as ${who.name ?? who.sub}`;
  login.dataset.loggedIn = 'true';
}

/** As the EUCAIM explorer turns a provider answer into Lens's result: totals and per-collection strata. */
function lensResult(p: Provider): LensResult {
  const result: LensResult = { totals: { subjects: 0, studies: 0 }, stratifiers: { subjects: {}, studies: {} } };
  for (const c of p.collections) {
    result.totals.subjects = (result.totals.subjects ?? 0) + c.subjects_count;
    result.totals.studies = (result.totals.studies ?? 0) + c.studies_count;
    (result.stratifiers.subjects as Record<string, number>)[c.name] = c.subjects_count;
    (result.stratifiers.studies as Record<string, number>)[c.name] = c.studies_count;
  }
  return result;
}

let running = new AbortController();
async function search(): Promise<void> {
  running.abort();
  const controller = new AbortController();
  running = controller;
  clearSiteResults();
  problems.replaceChildren();
  const id = crypto.randomUUID();
  const query = base64(JSON.stringify({ lang: 'ast', query: base64(JSON.stringify({ ast: getAst(), id: crypto.randomUUID() })) }));
  const res = await fetch(`${config.spotUrl}/beam`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'include',
    body: JSON.stringify({ id, query }),
  });
  if (res.status === 401) return showLogin();
  if (!res.ok) {
    problems.textContent = `The search failed: ${await res.text()}`;
    return;
  }
  const events = new EventSource(`${config.spotUrl}/beam/${id}`, { withCredentials: true });
  // The hub closes the stream once every site has a final state; an EventSource would reconnect.
  events.addEventListener('error', () => events.close());
  controller.signal.addEventListener('abort', () => events.close());
  events.addEventListener('new_result', (message) => {
    const result = JSON.parse((message as MessageEvent<string>).data) as { from: string; status: string; body: string };
    const site = result.from.split('.')[1] ?? result.from;
    if (result.status === 'claimed') markSiteClaimed(site);
    else if (result.status === 'succeeded') setSiteResult(site, lensResult(JSON.parse(atob(result.body)) as Provider));
    else {
      removeFailedSite(site);
      const line = document.createElement('li');
      line.textContent = `${site}: ${result.status}: ${result.body}`;
      problems.append(line);
    }
  });
}

setOptions({
  spotUrl: config.spotUrl,
  tableOptions: {
    headerData: [
      { title: 'Provider', dataKey: 'collections' },
      { title: 'Imaging Studies', dataKey: 'studies' },
      { title: 'Subjects', dataKey: 'subjects' },
    ],
  },
  resultSummaryOptions: {
    title: 'Results',
    dataTypes: [
      { title: 'Studies', dataKey: 'studies' },
      { title: 'Subjects', dataKey: 'subjects' },
    ],
  },
});
fetch(config.catalogueUrl)
  .then((res) => res.json())
  .then((catalogue) => setCatalogue(catalogue));
window.addEventListener('lens-search-triggered', () => {
  search().catch((err: Error) => {
    problems.textContent = `The search failed: ${err.message}`;
  });
});
checkSession().catch(showLogin);
