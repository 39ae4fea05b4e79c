import { Browser, expect, Page } from '@playwright/test';

/** catalog/org.yaml's people are the forge's users, with the development password (README.md). */
export const FORGE_DEV_PASSWORD = 'acme-dev-password';

/**
 * Signs `user` in through the real OIDC flow: the sign-in page's forge card opens a popup on the
 * backend's /api/auth/oidc/start, which sends it to the local Gitea's login page; the user's
 * Gitea credentials go in there (and, the first time, their consent), and Gitea sends the popup
 * back to the backend, which resolves the account to the catalog User and closes it. When the
 * browser already holds a Gitea session, the popup goes straight back. Leaves the page on `url`.
 */
export async function signIn(
  page: Page,
  user: string,
  url = '/',
  password = FORGE_DEV_PASSWORD,
) {
  await page.goto(url);
  const forgeCard = page
    .getByRole('listitem')
    .filter({ hasText: 'Sign in with your forge account' });
  await expect(forgeCard).toBeVisible({ timeout: 60_000 });
  // A click while the page is still settling (its silent sign-in attempt) can open nothing: click
  // again after a while.
  let popup: Page | undefined;
  for (let attempt = 1; !popup; attempt++) {
    const popupOpened = page.waitForEvent('popup', { timeout: 15_000 });
    await forgeCard.getByRole('button', { name: 'Sign In' }).click();
    popup = await popupOpened.catch(e => {
      if (attempt === 3) throw e;
      return undefined;
    });
  }
  const closed = popup.waitForEvent('close', { timeout: 60_000 });
  const login = popup.getByLabel('Username or Email Address');
  const needsLogin = await Promise.race([
    closed.then(() => false),
    login.waitFor({ timeout: 60_000 }).then(() => true),
  ]);
  if (!needsLogin) return;
  await login.fill(user);
  await popup.getByLabel('Password').fill(password);
  await popup.getByRole('button', { name: 'Sign In' }).click();
  // The first time, Gitea asks the person to authorise the portal (it remembers the grant).
  const authorize = popup.getByRole('button', {
    name: 'Authorize Application',
  });
  await Promise.race([
    closed,
    authorize.click({ timeout: 60_000 }).catch(() => undefined),
  ]);
  await closed;
}

/** A page of its own browser context (its own cookies: a person at their own browser), signed in as `user`. */
export async function browserOf(
  browser: Browser,
  user: string,
  url = '/',
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user, url);
  return page;
}

/**
 * Opens a page of the portal by URL, signed in: a full load restores the session silently (the
 * sign-in page's `auto`); when that is slow and the sign-in page shows, signs in again as `user`
 * (or as guest when `user` is undefined).
 */
export async function visit(page: Page, url: string, user?: string) {
  await page.goto(url);
  const signInPage = page.getByText('Sign in with your forge account');
  const shown = await signInPage
    .waitFor({ state: 'visible', timeout: 3_000 })
    .then(
      () => true,
      () => false,
    );
  if (!shown) return;
  if (user) await signIn(page, user, url);
  else await page.getByRole('button', { name: 'Enter' }).click();
}
