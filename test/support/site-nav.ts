// The site navigation keeps most links in menus (web/src/views/site-nav.ts): browser tests follow a
// link the way a person does, opening the menu that holds it first.
import type { Locator, Page } from 'playwright-core';

/** The navigation's link named exactly `label` (so "Help" is not "Helpdesk"), open menu or not. */
export function navLink(page: Page, label: string): Locator {
  return page.getByTestId('site-nav').getByRole('link', { name: label, exact: true, includeHidden: true });
}

/** Clicks the navigation's link `label`, first opening its menu when it sits in a closed one. */
export async function followNavLink(page: Page, label: string): Promise<void> {
  const link = navLink(page, label);
  await link.waitFor({ state: 'attached' });
  if (!(await link.isVisible())) {
    const holder = page.getByRole('link', { name: label, exact: true, includeHidden: true });
    await page.getByTestId('site-nav').locator('li', { has: holder }).getByRole('button').click();
  }
  await link.click();
}
