/*
 * golden-path:service:check with the repository's policies/ in a real OPA and the real local
 * Gitea. People are the example organisation's (catalog/org.yaml): dev (payments), ben
 * (platform), vic (partners).
 */
import { UserInfoService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  checkpointStore,
  exampleMemberships,
  exampleSteps,
  repoRoot,
  runAction,
} from '@internal/backend-test-utils';
import { HttpOpaClient, LocalOpaServer } from '@internal/plugin-opa-node';
import { findTool, freePort } from '@internal/plugin-platform-node';
import path from 'node:path';
import { testForge, uniqueName } from '../__testUtils__/forge';
import { createServiceCheckAction } from './serviceCheck';

jest.setTimeout(60_000);

const forge = testForge();
const memberships = exampleMemberships();
const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: memberships.get(ref)! };
  },
};
let opa: LocalOpaServer;
let action: ReturnType<typeof createServiceCheckAction>;

beforeAll(async () => {
  const tool = await findTool(new ConfigReader({}), 'opa');
  opa = await LocalOpaServer.start({
    binary: tool.path,
    policyDir: path.join(repoRoot, 'policies'),
    port: await freePort(),
  });
  action = createServiceCheckAction({
    opa: new HttpOpaClient({ url: opa.url, cacheTtlMs: 0, timeoutMs: 5000 }),
    userInfo,
    integrations: forge.integrations,
    config: forge.config,
  });
});

afterAll(() => opa?.stop());

const check = (user: string, input: object, store = checkpointStore()) =>
  runAction(action, input as any, { store, user });
const repoUrl = (name: string) => `${forge.host}?owner=acme&repo=${name}`;

describe('golden-path:service:check', () => {
  it('allows a developer to create a service for their team', async () => {
    const name = uniqueName('gp-check');
    const { error, outputs, log } = await check('dev', {
      name,
      owner: 'group:default/payments',
      repoUrl: repoUrl(name),
    });
    expect(error).toBeUndefined();
    expect(outputs).toEqual({
      decision: 'allow',
      repoUrl: repoUrl(name),
      repoSlug: `acme/${name}`,
      forgeUrl: forge.baseUrl,
      portalUrl: 'http://localhost:7007',
    });
    expect(log).toContain(`acme/${name} is free on the forge`);
  });

  it("refuses another team's service with the policy's reason", async () => {
    const name = uniqueName('gp-check');
    const { error } = await check('dev', {
      name,
      owner: 'group:default/storefront',
    });
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toBe(
      `the platform's guardrail refused ${name} for group:default/storefront: you are not a member of group:default/storefront: a service can only be created for a team you belong to (ask one of its members, or the platform team)`,
    );
  });

  it('names the repository from goldenPath.forge when the template gives none', async () => {
    const name = uniqueName('gp-check');
    const { error, outputs } = await check('dev', {
      name,
      owner: 'group:default/payments',
    });
    expect(error).toBeUndefined();
    expect(outputs.repoUrl).toBe(repoUrl(name));
  });

  it('lets the platform team create a service for any team', async () => {
    const { error } = await check('ben', {
      name: uniqueName('gp-check'),
      owner: 'group:default/storefront',
    });
    expect(error).toBeUndefined();
  });

  it.each([
    ['../etc', "name: '../etc' must be lower-case"],
    ['a$(id)', "name: 'a$(id)' must be lower-case"],
    ['x'.repeat(64), 'must be at most 63 characters'],
  ])('refuses the name %s', async (name, message) => {
    const { error } = await check('dev', {
      name,
      owner: 'group:default/payments',
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(message);
  });

  it('refuses a repository that already exists; a recovered task whose later step created it passes', async () => {
    const name = uniqueName('gp-check');
    const input = {
      name,
      owner: 'group:default/payments',
      repoUrl: repoUrl(name),
    };
    const store = checkpointStore();
    expect((await check('dev', input, store)).error).toBeUndefined();
    const res = await fetch(`${forge.baseUrl}/api/v1/orgs/acme/repos`, {
      method: 'POST',
      headers: {
        Authorization: `token ${forge.token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(201);
    try {
      expect((await check('dev', input, store)).error).toBeUndefined();
      const fresh = await check('dev', input);
      expect(fresh.error?.message).toBe(
        `repoUrl: acme/${name} already exists on the forge at ${forge.baseUrl} (${forge.baseUrl}/acme/${name}); choose another name`,
      );
    } finally {
      await forge.client.deleteRepository('acme', name);
    }
  });

  it('fails naming the forge when it does not answer (a stopped forge: nothing listens on the port), before anything is created', async () => {
    const port = await freePort();
    const stopped = createServiceCheckAction({
      opa: new HttpOpaClient({ url: opa.url, cacheTtlMs: 0, timeoutMs: 5000 }),
      userInfo,
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitea: [
              {
                host: `127.0.0.1:${port}`,
                baseUrl: `http://127.0.0.1:${port}`,
                username: 'portal-admin',
                password: 'x',
              },
            ],
          },
        }),
      ),
      config: forge.config,
    });
    const { error } = await runAction(
      stopped,
      {
        name: 'orders',
        owner: 'group:default/payments',
        repoUrl: `127.0.0.1:${port}?owner=acme&repo=orders`,
      },
      { store: checkpointStore(), user: 'dev' },
    );
    expect(error?.message).toBe(
      `the forge at http://127.0.0.1:${port} did not answer GET /repos/acme/orders: ECONNREFUSED`,
    );
  });

  it('refuses a repository named unlike the service', async () => {
    const { error } = await check('dev', {
      name: 'orders',
      owner: 'group:default/payments',
      repoUrl: repoUrl('billing'),
    });
    expect(error?.message).toBe(
      'repoUrl: the repository is named billing, the service orders; they must be the same',
    );
  });

  it('has examples that are steps of this action', () => {
    expect(exampleSteps(action).length).toBeGreaterThan(0);
  });
});
