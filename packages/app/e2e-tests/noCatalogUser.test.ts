import { expect, test } from '@playwright/test';
import crypto from 'node:crypto';
import { signIn } from './signIn';

/** The local forge and portal-admin's token (scripts/lib/gitea.sh's ensure_forge exports them). */
function forge() {
  const url = process.env.GITEA_URL;
  const token = process.env.GITEA_TOKEN;
  if (!url || !token)
    throw new Error(
      'this test needs the local forge: run it through scripts/test (ensure_forge sets GITEA_URL and GITEA_TOKEN)',
    );
  return { url, token };
}

/**
 * Someone the company's identity provider knows (a forge account) but the catalog does not: after
 * the real sign-in, the page says so and whom to ask (app.support), instead of a blank app or a
 * passing error. The account is made on the forge for the test and deleted afterwards.
 */
test('someone with a forge account but no catalog User sees who to ask', async ({
  page,
  request,
}) => {
  const { url, token } = forge();
  const username = `newcomer-${crypto.randomBytes(3).toString('hex')}`;
  const password = crypto.randomBytes(18).toString('base64url');
  const headers = { Authorization: `token ${token}` };
  const created = await request.post(`${url}/api/v1/admin/users`, {
    headers,
    data: {
      username,
      password,
      email: `${username}@acme.example`,
      must_change_password: false,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  try {
    await signIn(page, username, '/', password);
    await expect(
      page.getByText("You are not in the portal's catalog yet"),
    ).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('status')).toContainText(
      'No User in the catalog',
    );
    await expect(
      page.getByRole('link', { name: /platform@acme\.example|Platform/i }),
    ).toHaveAttribute('href', 'mailto:platform@acme.example');
    // no app behind it: not the catalog, not the sidebar
    await expect(
      page.getByRole('navigation', { name: 'sidebar nav' }),
    ).toHaveCount(0);
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await expect(
      page.getByText('Sign in with your forge account'),
    ).toBeVisible();
  } finally {
    await request.delete(`${url}/api/v1/admin/users/${username}?purge=true`, {
      headers,
    });
  }
});
