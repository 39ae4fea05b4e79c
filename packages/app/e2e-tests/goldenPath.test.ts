import { APIRequestContext, expect, Page, test } from '@playwright/test';

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

/** catalog/org.yaml's people are the forge's users, with the development password (scripts/lib/gitea-provision.js). */
const FORGE_USER = 'guest';
const FORGE_DEV_PASSWORD = 'acme-dev-password';
/** app-config.yaml's development CI token (backend.auth.externalAccess): the repository's PORTAL_TOKEN. */
const CI_TOKEN =
  process.env.PORTAL_DEV_CI_TOKEN ?? 'local-ci-token-not-for-production';

/** The value of `key: value` in the env block of the rendered CI workflow. */
function envOf(workflow: string, key: string): string {
  const line = workflow.split('\n').find(l => l.trim().startsWith(`${key}:`));
  const value = line
    ?.trim()
    .slice(key.length + 1)
    .trim();
  if (!value) throw new Error(`ci.yaml has no ${key}`);
  return value;
}

/** The developer pushes a commit to the default branch, through the forge's contents API. */
async function pushCommit(
  request: APIRequestContext,
  forge: string,
  repo: string,
  message: string,
): Promise<string> {
  const basic = Buffer.from(`${FORGE_USER}:${FORGE_DEV_PASSWORD}`).toString(
    'base64',
  );
  const res = await request.post(
    `${forge}/api/v1/repos/${repo}/contents/CHANGELOG.md`,
    {
      headers: { Authorization: `Basic ${basic}` },
      data: {
        branch: 'main',
        message,
        content: Buffer.from(`# Changelog\n\n- ${message}\n`).toString(
          'base64',
        ),
      },
    },
  );
  expect(res.status(), await res.text()).toBe(201);
  const sha: string = (await res.json()).commit.sha;
  expect(sha).toMatch(/^[0-9a-f]{40}$/);
  return sha;
}

/** The repository the run made on the forge, deleted afterwards so that runs do not pile up. */
let createdRepo: string | undefined;
test.afterEach(async ({ request }) => {
  const { GITEA_URL: forge, GITEA_TOKEN: token } = process.env;
  if (!createdRepo || !forge || !token) return;
  const res = await request.delete(`${forge}/api/v1/repos/${createdRepo}`, {
    headers: { Authorization: `token ${token}` },
  });
  expect([204, 404]).toContain(res.status());
  createdRepo = undefined;
});

/**
 * The golden path, end to end in the browser, as a developer of the payments team (guest): create a
 * Node.js service from the template, see its repository on the forge and its entry and docs in the
 * catalog, push a commit (it reaches DORA through the repository's webhook), report a production
 * deployment as the repository's CI does (the test plays that CI, through the real JSON API), and
 * see the change in the DORA tab and the time to first deploy on the Engineering metrics page.
 * Runs against the portal that scripts/start serves, with the local forge (Gitea on :3300).
 */
test('a developer creates a Node.js service from the golden path, finds its repository, catalog entry and docs, and sees its first change and deployment in DORA', async ({
  page,
  request,
}) => {
  test.setTimeout(15 * 60_000);
  const name = `svc-${Date.now().toString(36)}${Math.floor(
    Math.random() * 1296,
  ).toString(36)}`;
  const description = `Order history for the e2e run ${name}.`;
  const repo = `acme/${name}`;

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByText(/Owned Components/)).toBeVisible({
    timeout: 60_000,
  });

  // 1. The template, from the Create page.
  await visit(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Node.js service', { exact: true }) })
    .getByRole('button', { name: 'Choose' })
    .click({ timeout: 60_000 });
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill(description);
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('payments');
  await page
    .getByRole('option', { name: /payments/i })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByLabel('Also request a PostgreSQL sandbox'),
  ).not.toBeChecked();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The output links show when the task has finished.
  const repositoryLink = page.getByRole('link', { name: 'Repository' });
  await expect(repositoryLink).toBeVisible({ timeout: 180_000 });
  const catalogLink = page.getByRole('link', { name: 'Open in catalog' });
  await expect(catalogLink).toBeVisible();
  await expect(
    page.locator(`a[href$="/docs/default/component/${name}"]`),
  ).toBeVisible();
  createdRepo = repo;
  const repositoryUrl = (await repositoryLink.getAttribute('href'))!;
  const catalogUrl = (await catalogLink.getAttribute('href'))!;
  const forge = new URL(repositoryUrl).origin;
  expect(repositoryUrl).toBe(`${forge}/${repo}/src/branch/main/`);
  expect(catalogUrl).toMatch(new RegExp(`/catalog/default/component/${name}$`));

  // 2. The repository in the forge's web UI (the links open a new tab; stay in this one): the
  // rendered files, on a styled page.
  const stylesheets: { url: string; status: number }[] = [];
  page.on('response', res => {
    if (res.request().resourceType() === 'stylesheet')
      stylesheets.push({ url: res.url(), status: res.status() });
  });
  await page.goto(repositoryUrl);
  for (const file of ['README.md', 'catalog-info.yaml', 'mkdocs.yml']) {
    await expect(
      page.getByRole('link', { name: file, exact: true }).first(),
    ).toBeVisible();
  }
  expect(
    stylesheets.filter(
      s => new URL(s.url).pathname.startsWith('/assets/') && s.status === 200,
    ),
  ).not.toHaveLength(0);
  const styledRules = await page.evaluate(() =>
    Array.from(document.styleSheets)
      .filter(s => s.href && new URL(s.href).pathname.startsWith('/assets/'))
      .reduce((n, s) => n + s.cssRules.length, 0),
  );
  expect(styledRules).toBeGreaterThan(100);
  page.removeAllListeners('response');

  // 3. The component in the catalog, owned by payments, and its docs (built on first view).
  const entityPage = `/catalog/default/component/${name}`;
  await visit(page, catalogUrl);
  await expect(page.getByRole('heading', { name }).first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.locator('a[href$="/catalog/default/group/payments"]').first(),
  ).toBeVisible();
  await expect(page.getByText(description).first()).toBeVisible();
  await page.locator(`a[href$="${entityPage}/docs"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`${entityPage}/docs`));
  await expect(
    page.getByText('golden-path template of the Acme developer portal'),
  ).toBeVisible({ timeout: 240_000 });
  await expect(page.getByText(description).first()).toBeVisible();

  // 4. A commit pushed to the default branch: the repository's webhook sends it to DORA.
  const title = `Add a changelog (${name})`;
  const sha = await pushCommit(request, forge, repo, title);

  // 5. The repository's CI reports the production deployment of that commit: the call of the
  // rendered .gitea/workflows/ci.yaml, with its PORTAL_URL and COMPONENT_REF.
  const workflow = await request.get(
    `${forge}/${repo}/raw/branch/main/.gitea/workflows/ci.yaml`,
  );
  expect(workflow.status()).toBe(200);
  const ci = await workflow.text();
  const portalUrl = envOf(ci, 'PORTAL_URL');
  const componentRef = envOf(ci, 'COMPONENT_REF');
  expect(componentRef).toBe(`component:default/${name}`);
  const runId = String(Date.now());
  const deployedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const deploymentId = `${repo}#${runId}@${deployedAt}`;
  const report = await request.post(`${portalUrl}/api/dora/events`, {
    headers: {
      Authorization: `Bearer ${CI_TOKEN}`,
      'Idempotency-Key': deploymentId,
    },
    data: {
      type: 'deployment',
      id: deploymentId,
      component: componentRef,
      repo,
      environment: 'production',
      production: true,
      status: 'success',
      sha,
      ref: 'main',
      deployedAt,
      url: `${forge}/${repo}/actions/runs/${runId}`,
    },
  });
  expect(report.status(), await report.text()).toBe(202);

  // The DORA tab: the change lead time has a number, and behind it the pushed commit, shipped by
  // that deployment. Events are processed in the background: load the tab again until it shows.
  await visit(page, entityPage);
  await page.locator(`a[href$="${entityPage}/dora"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`${entityPage}/dora$`));
  await expect(async () => {
    await visit(page, `${entityPage}/dora`);
    await expect(page.getByTestId('value-changeLeadTime')).toHaveText(/\d/, {
      timeout: 15_000,
    });
  }).toPass({ timeout: 180_000 });
  await page
    .getByRole('button', { name: 'Change lead time', exact: true })
    .click();
  const changes = page.getByRole('table', { name: 'Changes' });
  await expect(changes).toBeVisible({ timeout: 30_000 });
  const change = changes.getByRole('row').filter({ hasText: title });
  await expect(change).toContainText(sha.slice(0, 7));
  await expect(change).toContainText(deploymentId);
  await expect(change).toContainText('deployed sha'); // linked by the deployment's sha

  // Engineering metrics: the service's time to first deploy, at once: the template's
  // dora:template-run:record step told DORA which template created the service (no wait for the
  // scheduled scaffolder sync).
  await page.getByRole('link', { name: 'Engineering metrics' }).first().click();
  await expect(page).toHaveURL(/\/engineering-metrics$/);
  const row = page
    .getByRole('table', { name: 'Time to first deploy' })
    .getByRole('row')
    .filter({ hasText: name });
  await expect(async () => {
    await visit(page, '/engineering-metrics');
    const table = page.getByRole('table', { name: 'Time to first deploy' });
    await expect(table).toBeVisible({ timeout: 30_000 });
    // newest first, whatever the number of earlier runs
    const created = table.getByRole('columnheader', { name: 'Created' });
    await created.click();
    await created.click();
    await expect(row).toContainText(/\d+ (min|h)/, { timeout: 10_000 });
  }).toPass({ timeout: 180_000 });
  await expect(row).toContainText('node-service');
  await expect(row).toContainText('payments');
  await expect(row).not.toContainText('not yet');
});
