import { expect, test } from '@playwright/test';

/**
 * A developer's sandbox, from the web UI: run the "Request a sandbox environment" template, watch
 * the environment become active on its page with its run log, then destroy it from the page.
 * Runs against the portal that scripts/start serves (SQLite, real OPA and OpenTofu).
 */
test('a developer requests a sandbox from the template, sees it active with its log, and destroys it', async ({ page }) => {
  test.setTimeout(240_000);
  const name = `e2e-${Date.now().toString(36)}`;

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByText(/Owned Components/)).toBeVisible();

  await page.goto('/create/templates/default/sandbox-environment');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Blueprint').click();
  await page.getByRole('option', { name: /Local workspace/ }).click();
  const owner = page.getByRole('textbox', { name: 'Owning team' });
  await owner.click();
  await owner.fill('payments');
  await page.getByRole('option', { name: /payments/i }).first().click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task waits until the environment is active, printing OpenTofu's progress.
  const open = page.getByRole('link', { name: 'Open the environment' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await page.goto((await open.getAttribute('href'))!); // the link opens a new tab; stay in this one

  await expect(page).toHaveURL(/\/environments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByLabel('state active')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Log of the apply run')).toContainText('Apply complete!');
  await expect(page.getByRole('table', { name: 'Outputs' })).toContainText('path');

  await page.getByRole('button', { name: 'Destroy' }).click();
  await page.getByRole('button', { name: 'Destroy it' }).click();
  await expect(page.getByLabel('state destroyed')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByLabel('Log of the destroy run')).toContainText('Destroy complete!');
  await expect(page.getByRole('table', { name: 'History' })).toContainText('destroying → destroyed');

  // The Environments page in the navigation lists it among the team's.
  await page.getByRole('link', { name: 'Environments' }).first().click();
  await expect(page.getByRole('table', { name: 'Environments' })).toContainText(name);
});
