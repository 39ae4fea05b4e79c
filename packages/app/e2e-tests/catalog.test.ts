import { test, expect } from '@playwright/test';

/**
 * Smoke test of the portal as a developer meets it: sign in as guest, browse the example
 * catalog, open a component and its API tab. Runs against the portal that scripts/start serves.
 */
test('guest signs in, browses the catalog, and opens a component API tab', async ({
  page,
}) => {
  await page.goto('/');

  await page.getByRole('button', { name: 'Enter' }).click();

  // The catalog is the landing page. Guest sign-in maps to user:default/guest, a member of the
  // payments team in catalog/org.yaml, so "Owned" lists the payments team's components ...
  const table = page.getByRole('table');
  await expect(page.getByText('Owned Components (2)')).toBeVisible();
  await expect(table.getByRole('link', { name: 'Payments API' })).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'Ledger service' }),
  ).toBeVisible();

  // ... and "All" lists every example component, including other teams'.
  await page.getByRole('menuitem', { name: /^All/ }).click();
  await expect(page.getByText('All Components (7)')).toBeVisible();
  for (const title of ['Checkout web', 'Storefront API', 'UI kit']) {
    await expect(table.getByRole('link', { name: title })).toBeVisible();
  }

  await table.getByRole('link', { name: 'Payments API' }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api/);
  await expect(
    page.getByRole('heading', { name: 'Payments API' }).first(),
  ).toBeVisible();

  // The entity page's tabs are links (the sidebar has an "APIs" link too, so find the tab by URL).
  await page
    .locator('a[href$="/catalog/default/component/payments-api/apis"]')
    .first()
    .click();
  await expect(page).toHaveURL(/\/apis$/);
  await expect(page.getByText('Provided APIs').first()).toBeVisible();
  await expect(page.getByText('Consumed APIs').first()).toBeVisible();
  // payments-api provides the payments-api and payment-events APIs and consumes ledger-api.
  for (const api of ['payments-api', 'payment-events', 'ledger-api']) {
    await expect(
      page.locator(`a[href$="/catalog/default/api/${api}"]`).first(),
    ).toBeVisible();
  }
});
