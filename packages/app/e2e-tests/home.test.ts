import { expect, test } from '@playwright/test';

/** Hosts the portal is served from (scripts/start: the built app and the backend on :7007; --dev: the frontend on :3000). */
const PORTAL_HOSTS = ['localhost', '127.0.0.1'];

/** The URLs of requests to any other host; schemes without a host (data:, blob:) are not requests to one. */
function foreign(urls: string[]): string[] {
  return urls.filter(url => {
    const { protocol, hostname } = new URL(url);
    return (
      /^(https?|wss?):$/.test(protocol) && !PORTAL_HOSTS.includes(hostname)
    );
  });
}

/**
 * The home page (/home) as a developer meets it: Acme's logo in the sidebar, the search bar, their
 * environments, their team's DORA levels and scorecards, the golden paths; no error; and not one
 * request to a host other than the portal's, from the sign-in to the page's last card.
 */
test('the home page shows the Acme logo and its cards, with no error and no request outside the portal', async ({
  page,
}) => {
  const requests: string[] = [];
  page.on('request', request => requests.push(request.url()));

  await page.goto('/home');
  await page.getByRole('button', { name: 'Enter' }).click();

  await expect(
    // the home page's title (level 1; the sign-in page's card title, a level 2, may still be leaving)
    page.getByRole('heading', { level: 1, name: 'Acme Developer Portal' }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('img', { name: 'Acme' }),
  ).toBeVisible();

  await expect(
    page.getByPlaceholder('Search in Acme Developer Portal'),
  ).toBeVisible();

  // Guest is a member of the payments team (catalog/org.yaml).
  const team = page.getByRole('region', { name: 'Payments delivery' });
  await expect(team.getByRole('link', { name: 'Payments' })).toHaveAttribute(
    'href',
    '/catalog/default/group/payments/dora',
  );
  await expect(team.getByLabel(/^Deployment frequency: /)).toBeVisible({
    timeout: 30_000,
  });

  await expect(
    page
      .getByRole('list', { name: 'My environments' })
      .or(page.getByText(/You have no environments/)),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'All environments' }),
  ).toHaveAttribute('href', '/environments');

  const goldenPaths = page.getByRole('list', { name: 'Golden paths' });
  await expect(
    goldenPaths.getByRole('link', { name: 'Request a sandbox environment' }),
  ).toHaveAttribute('href', '/create/templates/default/sandbox-environment');
  await expect(
    goldenPaths.getByRole('link', { name: 'Node.js service' }),
  ).toHaveAttribute('href', '/create/templates/default/node-service');

  await expect(page.getByText('Your Starred Entities')).toBeVisible();

  // Every card has loaded: no request is left, and nothing failed.
  await page.waitForLoadState('networkidle');
  await expect(page.getByText(/Failed to fetch/)).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  for (const gone of ['Random Joke', 'World Clocks', 'Toolkit']) {
    await expect(page.getByText(gone, { exact: true })).toHaveCount(0);
  }

  expect(requests.length).toBeGreaterThan(0);
  expect(foreign(requests)).toEqual([]);
});
