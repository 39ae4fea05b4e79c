/*
 * dora:webhook:create against the real local Gitea: the webhook it creates, that a second task
 * updates it instead of adding one, dry runs, and the refusals.
 */
import {
  checkpointStore,
  exampleSteps,
  runAction,
} from '@internal/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DORA_TEST_SECRET,
  testForge,
  uniqueName,
} from '../__testUtils__/forge';
import { createDoraWebhookAction, doraWebhookUrl } from './doraWebhook';

jest.setTimeout(60_000);

const forge = testForge();
const action = createDoraWebhookAction({
  integrations: forge.integrations,
  config: forge.config,
});
let name: string;

beforeAll(async () => {
  name = uniqueName('gp-hook');
  const res = await fetch(`${forge.baseUrl}/api/v1/orgs/acme/repos`, {
    method: 'POST',
    headers: {
      Authorization: `token ${forge.token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ name, auto_init: true }),
  });
  if (res.status !== 201)
    throw new Error(`could not create ${name} on the forge: ${res.status}`);
});

afterAll(() => forge.client.deleteRepository('acme', name));

const input = (more: object = {}) => ({
  repoUrl: `${forge.host}?owner=acme&repo=${name}`,
  source: 'gitea-test',
  ...more,
});

describe('dora:webhook:create', () => {
  it('changes nothing in a dry run', async () => {
    const { error, outputs } = await runAction(action, input(), {
      store: checkpointStore(),
      dryRun: true,
    });
    expect(error).toBeUndefined();
    expect(outputs.created).toBe(false);
    expect(await forge.client.listHooks('acme', name)).toEqual([]);
  });

  it('creates the webhook to the portal for push, pull requests, issues and releases, and never logs the secret', async () => {
    const { error, outputs, log } = await runAction(action, input(), {
      store: checkpointStore(),
    });
    expect(error).toBeUndefined();
    expect(outputs).toMatchObject({
      url: 'http://localhost:7007/api/dora/webhooks/gitea-test',
      created: true,
    });
    const hooks = await forge.client.listHooks('acme', name);
    expect(hooks).toEqual([
      {
        id: outputs.hookId,
        url: 'http://localhost:7007/api/dora/webhooks/gitea-test',
        events: expect.arrayContaining([
          'push',
          'pull_request',
          'issues',
          'release',
        ]),
        active: true,
      },
    ]);
    expect(log).toContain(`webhook ${outputs.hookId}`);
    expect(log).not.toContain(DORA_TEST_SECRET);
  });

  it('a second task updates the same webhook instead of adding one; a recovered task calls nothing', async () => {
    const store = checkpointStore();
    const second = await runAction(action, input(), { store });
    expect(second.error).toBeUndefined();
    expect(second.outputs.created).toBe(false);
    const recovered = await runAction(action, input(), { store });
    expect(recovered.outputs.hookId).toBe(second.outputs.hookId);
    expect(await forge.client.listHooks('acme', name)).toHaveLength(1);
  });

  it.each([
    [
      'nope',
      'source: dora.sources has no source nope (sources: gitea-test, github-test)',
    ],
    [
      'github-test',
      'source: github-test is a github source; a forge webhook needs a gitea source',
    ],
  ])('refuses the source %s, naming it', async (source, message) => {
    const { error } = await runAction(action, input({ source }), {
      store: checkpointStore(),
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toBe(message);
  });

  it('fails naming the forge when the repository does not exist', async () => {
    const { error } = await runAction(
      action,
      input({ repoUrl: `${forge.host}?owner=acme&repo=${name}-missing` }),
      { store: checkpointStore() },
    );
    expect(error?.message).toBe(
      `the forge at ${forge.baseUrl} answered 404 to GET /repos/acme/${name}-missing/hooks: not found`,
    );
  });

  it('posts to goldenPath.doraWebhookBaseUrl when the forge reaches the portal by another address', () => {
    const config = new ConfigReader({
      backend: { baseUrl: 'http://localhost:7007' },
      goldenPath: {
        doraWebhookBaseUrl: 'http://portal.internal/api/dora/webhooks/',
      },
    });
    expect(doraWebhookUrl(config, 'gitea')).toBe(
      'http://portal.internal/api/dora/webhooks/gitea',
    );
  });

  it('has examples that are steps of this action', () => {
    expect(exampleSteps(action).length).toBeGreaterThan(0);
  });
});
