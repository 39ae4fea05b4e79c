import { expect, Page, test } from '@playwright/test';
import { browserOf, visit } from './signIn';
import { requestSandbox } from './templates';

/**
 * The portal as four people of catalog/org.yaml see it, each in a browser of their own and signed
 * in through the real OIDC flow (the local Gitea's login page):
 * - dev, a payments developer: requests sandboxes, sees his teams' environments, cannot reveal
 *   another team's secrets, and a TTL over his limit waits for approval;
 * - ana, the platform team's admin: sees the waiting request, approves it (it is not hers), and
 *   runs the platform-only template;
 * - dev again: his open page shows the environment become active, without a reload;
 * - chloe, a storefront developer: no confidential ledger service (list or URL), and no extend,
 *   destroy or approve on the payments sandbox;
 * - vic, a partners viewer: reads the catalog, and is refused with the reason when running a template.
 * Runs against the portal that scripts/start serves (real OPA, OpenTofu and Gitea).
 */
test('four people, four views: requests, approval (four eyes), live state, confidential entities and refusals with reasons', async ({
  browser,
}) => {
  test.setTimeout(12 * 60_000);
  const run = Date.now().toString(36);
  const storefrontName = `sf-${run}`;
  const paymentsName = `pay-${run}`;
  const waitingName = `long-${run}`;

  // chloe (storefront): the confidential ledger service is neither listed nor readable by URL.
  const chloe = await browserOf(browser, 'chloe', '/');
  await expect(chloe.getByText('Owned Components (3)')).toBeVisible({
    timeout: 60_000,
  });
  await chloe.getByRole('menuitem', { name: /^All/ }).click();
  // every component (the golden path's test may have added some), less the ledger service
  await expect(chloe.getByText(/^All Components \(\d+\)$/)).toBeVisible();
  const catalog = chloe.getByRole('table');
  await expect(
    catalog.getByRole('link', { name: 'Payments API' }),
  ).toBeVisible();
  await expect(
    catalog.getByRole('link', { name: 'Ledger service' }),
  ).toHaveCount(0);
  await visit(chloe, '/catalog/default/component/ledger-service', 'chloe');
  await expect(chloe.getByText('Entity not found')).toBeVisible({
    timeout: 30_000,
  });
  // A storefront sandbox, so that other teams have something not to see.
  const storefront = await requestSandbox(chloe, 'chloe', {
    name: storefrontName,
    team: 'storefront',
  });
  expect(storefront.state).toBe('active');

  // dev (payments): a sandbox within his limits becomes active; its secrets are his to reveal.
  const dev = await browserOf(browser, 'dev', '/');
  await expect(dev.getByText(/Owned Components/)).toBeVisible({
    timeout: 60_000,
  });
  const payments = await requestSandbox(dev, 'dev', {
    name: paymentsName,
    team: 'payments',
  });
  expect(payments.state).toBe('active');
  await visit(dev, payments.path, 'dev');
  await expect(dev.getByLabel('state active')).toBeVisible({ timeout: 30_000 });
  await dev.getByRole('button', { name: 'Reveal secrets' }).click();
  await expect(dev.getByRole('table', { name: 'Outputs' })).toContainText(
    'api_token (secret)',
  );

  // By default the Environments page lists his teams' environments only; "All" shows the others.
  await visit(dev, '/environments', 'dev');
  const list = dev.getByRole('table', { name: 'Environments' });
  await expect(list).toContainText(paymentsName, { timeout: 30_000 });
  await expect(list).not.toContainText(storefrontName);
  await dev.getByRole('button', { name: 'All' }).click();
  await expect(list).toContainText(storefrontName, { timeout: 30_000 });

  // Another team's environment: readable, but its secrets stay masked and it is not his to change.
  await visit(dev, storefront.path, 'dev');
  await expect(dev.getByLabel('state active')).toBeVisible({ timeout: 30_000 });
  await expect(dev.getByText('Secret outputs are masked')).toBeVisible();
  await expect(dev.getByLabel('Runs and logs')).toContainText(
    'read only by its owning team and the platform team',
  );
  await expectNoButtons(dev, [
    'Reveal secrets',
    'Extend by 24 hours',
    'Destroy',
  ]);

  // Over his limit (168 hours for a developer's workspace): the request waits for approval.
  const waiting = await requestSandbox(dev, 'dev', {
    name: waitingName,
    team: 'payments',
    ttlHours: 200,
  });
  expect(waiting.state).toBe('pending_approval');
  await visit(dev, waiting.path, 'dev');
  await expect(dev.getByLabel('state pending_approval')).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    dev.getByText(/Waiting for a platform engineer's approval/),
  ).toContainText('over the 168 hours a developer may set');
  await expectNoButtons(dev, ['Approve', 'Reject']);
  // From here on dev's page is never reloaded: a marker on the window would not survive one.
  await dev.evaluate(() => ((window as any).__notReloaded = true));

  // chloe cannot approve the payments request.
  await visit(chloe, waiting.path, 'chloe');
  await expect(chloe.getByLabel('state pending_approval')).toBeVisible({
    timeout: 30_000,
  });
  await expectNoButtons(chloe, ['Approve', 'Reject']);

  // ana (platform admin) finds the waiting request among all environments and approves it.
  const ana = await browserOf(browser, 'ana', '/environments');
  await ana.getByRole('button', { name: 'All' }).click();
  const all = ana.getByRole('table', { name: 'Environments' });
  const row = all.getByRole('row').filter({ hasText: waitingName });
  await expect(row).toContainText('pending_approval', { timeout: 30_000 });
  await row.getByRole('link', { name: waitingName }).click();
  await ana.getByRole('button', { name: 'Approve' }).click();
  await expect(ana.getByRole('table', { name: 'History' })).toContainText(
    'pending_approval → queued',
    { timeout: 30_000 },
  );

  // dev's open page follows: the environment becomes active without a reload.
  await expect(dev.getByLabel('state active')).toBeVisible({
    timeout: 120_000,
  });
  expect(await dev.evaluate(() => (window as any).__notReloaded)).toBe(true);

  // chloe, on the now active payments sandbox: no extend, destroy or secrets.
  await visit(chloe, waiting.path, 'chloe');
  await expect(chloe.getByLabel('state active')).toBeVisible({
    timeout: 30_000,
  });
  await expect(chloe.getByText('Secret outputs are masked')).toBeVisible();
  await expectNoButtons(chloe, [
    'Extend by 24 hours',
    'Destroy',
    'Reveal secrets',
    'Approve',
  ]);

  // The platform-only template: ana runs it; dev does not even see it.
  await visit(ana, '/create/templates/default/platform-runbook', 'ana');
  const operation = `rotate the ledger password (${run})`;
  await ana.getByLabel('Operation').fill(operation);
  const system = ana.getByRole('textbox', { name: 'System' });
  await system.click();
  await system.fill('payments-platform');
  await system.press('Tab'); // the picker takes the typed reference when it loses focus
  await ana.getByRole('button', { name: 'Review' }).click();
  await ana.getByRole('button', { name: 'Create' }).click();
  await expect(ana.getByText(`${operation} on `).first()).toBeVisible({
    timeout: 60_000,
  });
  await visit(dev, '/create', 'dev');
  await expect(dev.getByText('Request a sandbox environment')).toBeVisible({
    timeout: 30_000,
  });
  await expect(dev.getByText('Platform runbook entry')).toHaveCount(0);

  // vic (a partners viewer) reads the catalog, and running a template is refused with the reason.
  const vic = await browserOf(browser, 'vic', '/');
  // vic owns nothing, so the catalog may open on All by itself once its counts are in
  const allFilter = vic.getByRole('menuitem', { name: /^All [1-9]/ });
  await expect(allFilter).toBeVisible({ timeout: 60_000 });
  await allFilter.click();
  await expect(vic.getByText(/^All Components \(\d+\)$/)).toBeVisible();
  await expect(
    vic.getByRole('table').getByRole('link', { name: 'Payments API' }),
  ).toBeVisible();
  await requestRefused(vic, `vic-${run}`);
});

/** None of these buttons is on the page (the policy does not allow them, so they are not offered). */
async function expectNoButtons(page: Page, names: string[]) {
  for (const name of names) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(
      0,
    );
  }
}

/** A viewer runs the sandbox template: the task is refused, and the page says why. */
async function requestRefused(page: Page, name: string) {
  await visit(page, '/create/templates/default/sandbox-environment', 'vic');
  await page.getByLabel('Name').fill(name);
  const owner = page.getByRole('textbox', { name: 'Owning team' });
  await owner.click();
  await owner.fill('partners');
  await page
    .getByRole('option', { name: /partners/i })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByText(
      /only allow reading; scaffolder\.task\.create needs the developer role/,
    ),
  ).toBeVisible({ timeout: 30_000 });
  await expect(
    page.getByRole('link', { name: 'Open the environment' }),
  ).toHaveCount(0);
}
