import { expect, test } from '@playwright/test';
import { signIn } from './signIn';

/**
 * The session, as a person meets it: a reload keeps them signed in (the backend's refresh cookie);
 * "Sign out" in Settings ends it and shows the sign-in page, also after a reload; and a session
 * that has expired (the backend's refresh cookie gone) asks them to sign in again instead of showing an
 * app that fails. Signs in through the real OIDC flow as dev.
 */
/** A full load of the development server's app, sign-out's included: over 30 s seen in CI. */
const LOAD_MS = 90_000;

test('a reload keeps the session, sign-out ends it, and an expired session asks to sign in again', async ({
  page,
  context,
}) => {
  // Five full page loads of the development server (each 10 to 25 s, and over 30 s in CI, when busy:
  // its unbundled modules are fetched anew) and two sign-ins: far more than the default 90 s.
  test.setTimeout(420_000);
  const signInPage = page.getByText('Sign in with your forge account');

  await signIn(page, 'dev', '/settings');
  await expect(page.getByText('Dev Desai').first()).toBeVisible({
    timeout: LOAD_MS,
  });
  await page.reload();
  await expect(page.getByText('Dev Desai').first()).toBeVisible({
    timeout: LOAD_MS,
  });
  await expect(signInPage).toHaveCount(0);

  // Sign out, from the profile card's menu.
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await expect(signInPage).toBeVisible({ timeout: LOAD_MS });
  await page.reload();
  await expect(signInPage).toBeVisible({ timeout: LOAD_MS });

  // Signed in again; then the session expires: the backend's cookies are gone.
  await signIn(page, 'dev', '/settings');
  await expect(page.getByText('Dev Desai').first()).toBeVisible({
    timeout: LOAD_MS,
  });
  // the session ends on the backend's side: its refresh cookie (scoped to /api/auth/oidc) is gone
  const names = (await context.cookies()).map(c => c.name);
  expect(names).toContain('oidc-refresh-token');
  await context.clearCookies({ name: 'oidc-refresh-token' });
  await page.reload();
  await expect(signInPage).toBeVisible({ timeout: LOAD_MS });
});
