import { expect, Page, test } from '@playwright/test';

/**
 * Opens a page of the portal by URL. A full load refreshes the guest session; when that refresh
 * is slow the sign-in page shows first, and the developer enters again.
 */
async function visit(page: Page, url: string) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: 'Enter' });
  if (
    await enter.waitFor({ state: 'visible', timeout: 3_000 }).then(
      () => true,
      () => false,
    )
  )
    await enter.click();
}

/**
 * A developer's sandbox, from the web UI: run the "Request a sandbox environment" template, watch
 * the environment become active on its page with its run log, find it in the catalog as a
 * Resource with an "Environment" tab, then destroy it from its page.
 * Runs against the portal that scripts/start serves (SQLite, real OPA and OpenTofu).
 */
test('a developer requests a sandbox from the template, sees it active with its log, and destroys it', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const name = `e2e-${Date.now().toString(36)}`;

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByText(/Owned Components/)).toBeVisible();

  await visit(page, '/create/templates/default/sandbox-environment');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Blueprint').click();
  await page.getByRole('option', { name: /Local workspace/ }).click();
  const owner = page.getByRole('textbox', { name: 'Owning team' });
  await owner.click();
  await owner.fill('payments');
  await page
    .getByRole('option', { name: /payments/i })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task waits until the environment is active, printing OpenTofu's progress.
  const open = page.getByRole('link', { name: 'Open the environment' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await visit(page, (await open.getAttribute('href'))!); // the link opens a new tab; stay in this one

  await expect(page).toHaveURL(/\/environments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await expect(page.getByLabel('state active')).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByLabel('Log of the apply run')).toContainText(
    'Apply complete!',
  );
  await expect(page.getByRole('table', { name: 'Outputs' })).toContainText(
    'path',
  );
  const environmentPage = page.url();
  const id = environmentPage.split('/').pop()!;

  // The catalog has it as a Resource (its provider runs every 15 s), with the environment's view
  // in an "Environment" tab.
  const entityPage = `/catalog/default/resource/env-${name}-${id.slice(
    0,
    8,
  )}/environment`;
  await expect(async () => {
    await visit(page, entityPage);
    await expect(
      page
        .getByRole('tab', { name: 'Environment' })
        .or(page.getByRole('link', { name: 'Environment', exact: true })),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await expect(page.getByLabel('state active')).toBeVisible();
  await expect(page.getByRole('table', { name: 'History' })).toContainText(
    'provisioning → active',
  );
  await visit(page, environmentPage);

  await page.getByRole('button', { name: 'Destroy' }).click();
  await page.getByRole('button', { name: 'Destroy it' }).click();
  await expect(page.getByLabel('state destroyed')).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByLabel('Log of the destroy run')).toContainText(
    'Destroy complete!',
  );
  await expect(page.getByRole('table', { name: 'History' })).toContainText(
    'destroying → destroyed',
  );

  // The Environments page in the navigation lists it among the team's.
  await page.getByRole('link', { name: 'Environments' }).first().click();
  await expect(page.getByRole('table', { name: 'Environments' })).toContainText(
    name,
  );
});
