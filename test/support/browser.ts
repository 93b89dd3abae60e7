// One set-up for the browser suites: the web app built into a temp folder, a real hub (or a
// federation around one) serving it, a real Chromium with a fresh profile, and the login through the
// OIDC provider's own page, as a person would do it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../scripts/oidc/accounts.ts';
import { buildWeb } from '../../web/build.ts';
import { type TestHub, startTestHub } from './hub.ts';

// The same override the project's test runner (scripts/test.ts) honours.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the browser needs of a hub: where the app is served and where the login page lives. */
export interface ReachableHub {
  url: string;
  oidc: { issuer: string };
}

interface SessionOptions<T> {
  /** Prefix of the temp folder (web build, browser profile, screenshots). */
  name: string;
  /** Extra settings for the default test hub (env, clock). */
  hub?: Omit<NonNullable<Parameters<typeof startTestHub>[0]>, 'webRoot'>;
  /** Something other than a bare hub to serve the app (e.g. a processing federation). */
  start?: (webRoot: string) => Promise<T>;
  /** The hub inside what `start` returned. */
  reach?: (started: T) => ReachableHub;
  acceptDownloads?: boolean;
}

export type BrowserSession<T = TestHub> = Awaited<ReturnType<typeof startBrowserSession<T>>>;

/** A second, cookie-less browser for anonymous visits beside a logged-in session. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** The text as the user sees it rendered. */
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
export const shown = (l: Locator) => l.innerText();

/** The provider's half of a login, from a page of the app showing the "Log in" button. */
export async function signIn(page: Page, hub: ReachableHub, username: string): Promise<void> {
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.origin === new URL(hub.oidc.issuer).origin);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function startBrowserSession<T = TestHub>(opts: SessionOptions<T>) {
  if (!existsSync(CHROMIUM))
    throw new Error(`browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
  const dir = await mkdtemp(path.join(tmpdir(), opts.name));
  let started: (T & { stop(): Promise<void> }) | undefined;
  let context: BrowserContext | undefined;
  // Screenshots stay in the temp folder for a person to look at when KEEP_SCREENSHOTS is set.
  const stop = async () => {
    await context?.close();
    await started?.stop();
    if (!process.env.KEEP_SCREENSHOTS) await rm(dir, { recursive: true, force: true });
  };
  try {
    const webRoot = path.join(dir, 'web');
    await buildWeb({ outDir: webRoot });
    const start = opts.start ?? ((root: string) => startTestHub({ ...opts.hub, webRoot: root }) as Promise<T>);
    started = (await start(webRoot)) as T & { stop(): Promise<void> };
    // A fresh profile: no cookies or storage from any earlier run can log anyone in.
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
      headless: true,
      acceptDownloads: opts.acceptDownloads,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const hub = started;
  const profile = context;
  const reachable = opts.reach ? opts.reach(hub) : (hub as unknown as ReachableHub);
  return {
    hub,
    context: profile,
    dir,
    shown,
    stop,
    /**
     * A fresh tab and provider session (tokens live in the tab's sessionStorage, the login in
     * cookies): opens `at`, signs in, waits for the app to show the user logged in, then opens `then`
     * (a path or a full address) if given.
     */
    async logIn(username: string, at = '/', then?: string): Promise<Page> {
      await profile.clearCookies();
      const page = await profile.newPage();
      await page.goto(new URL(at, reachable.url).href);
      await signIn(page, reachable, username);
      await page.getByTestId('log-out').waitFor();
      if (then) await page.goto(new URL(then, reachable.url).href);
      return page;
    },
    async screenshot(page: Page, name: string): Promise<void> {
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      if (process.env.KEEP_SCREENSHOTS) console.log(`screenshot: ${file}`);
    },
  };
}
