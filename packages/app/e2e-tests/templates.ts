import { expect, Page } from '@playwright/test';
import { visit } from './signIn';

export type SandboxRequest = {
  name: string;
  /** The owning team's name, e.g. payments. */
  team: string;
  /** Hours until it is destroyed; the template's default (24) when undefined. */
  ttlHours?: number;
};

/**
 * Runs the "Request a sandbox environment" template from its page as `user` (a workspace, the
 * quickest blueprint) and waits for the task's output. Returns the environment's page (a path)
 * and the state the task ended with.
 */
export async function requestSandbox(
  page: Page,
  user: string,
  request: SandboxRequest,
): Promise<{ path: string; state: string }> {
  await visit(page, '/create/templates/default/sandbox-environment', user);
  await page.getByLabel('Name').fill(request.name);
  await page.getByLabel('Blueprint').click();
  await page.getByRole('option', { name: /Local workspace/ }).click();
  const owner = page.getByRole('textbox', { name: 'Owning team' });
  await owner.click();
  await owner.fill(request.team);
  await page
    .getByRole('option', { name: new RegExp(request.team, 'i') })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  if (request.ttlHours !== undefined) {
    await page
      .getByLabel('Hours until it is destroyed')
      .fill(String(request.ttlHours));
  }
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task waits until the environment is active (or ends at once when it waits for approval).
  const open = page.getByRole('link', { name: 'Open the environment' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  const state = await page
    .getByText(/The environment is \w+/)
    .first()
    .innerText();
  const href = (await open.getAttribute('href'))!;
  return {
    path: new URL(href, page.url()).pathname,
    state: /The environment is (\w+)/.exec(state)![1],
  };
}
