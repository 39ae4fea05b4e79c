/*
 * publish:gitea (resumable) against the real local Gitea: the repository, its files, the team's
 * access, a recovered task, and the refusals that come before anything is created.
 */
import {
  checkpointStore,
  exampleSteps,
  runAction,
} from '@internal/backend-test-utils';
import { freePort } from '@internal/plugin-platform-node';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import { testForge, uniqueName, workspace } from '../__testUtils__/forge';
import { createPublishGiteaResumableAction } from './publishGitea';

jest.setTimeout(60_000);

const forge = testForge();
const action = createPublishGiteaResumableAction({
  integrations: forge.integrations,
  config: forge.config,
});
const created: string[] = [];
const input = (name: string, more: object = {}) => ({
  repoUrl: `${forge.host}?owner=acme&repo=${name}`,
  description: `The ${name} service`,
  defaultBranch: 'main',
  repoVisibility: 'public',
  team: 'group:default/payments',
  ...more,
});
const publish = (name: string, store = checkpointStore(), more = {}) =>
  runAction(action, input(name, more), {
    store,
    workspacePath: workspace(name),
  });

afterAll(async () => {
  for (const name of created)
    await forge.client.deleteRepository('acme', name).catch(() => {});
});

describe('publish:gitea', () => {
  it('creates the repository in acme on main with the files, and gives the owner team access', async () => {
    const name = uniqueName('gp-publish');
    created.push(name);
    const { outputs, error } = await publish(name);
    expect(error).toBeUndefined();
    expect(outputs).toMatchObject({
      remoteUrl: `${forge.baseUrl}/acme/${name}.git`,
      repoContentsUrl: `${forge.baseUrl}/acme/${name}/src/branch/main/`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const file = await fetch(
      `${forge.baseUrl}/api/v1/repos/acme/${name}/contents/catalog-info.yaml?ref=main`,
      { headers: { Authorization: `token ${forge.token}` } },
    );
    expect(file.status).toBe(200);
    const team = await forge.client.findTeam('acme', 'payments');
    const teamRepo = await fetch(
      `${forge.baseUrl}/api/v1/teams/${team!.id}/repos/acme/${name}`,
      { headers: { Authorization: `token ${forge.token}` } },
    );
    expect(teamRepo.status).toBe(200);
  });

  it('a recovered task gets its repository back and creates nothing; a new task with the same name is refused', async () => {
    const name = uniqueName('gp-resume');
    created.push(name);
    const store = checkpointStore();
    const first = await publish(name, store);
    expect(first.error).toBeUndefined();
    const recovered = await publish(name, store);
    expect(recovered.error).toBeUndefined();
    expect(recovered.outputs.commitHash).toBe(first.outputs.commitHash);
    const again = await publish(name);
    expect(again.error?.message).toBe(
      `repoUrl: acme/${name} already exists on the forge at ${forge.baseUrl} (${forge.baseUrl}/acme/${name})`,
    );
  });

  it('creates again a repository that an earlier attempt left empty', async () => {
    const name = uniqueName('gp-empty');
    created.push(name);
    const res = await fetch(`${forge.baseUrl}/api/v1/orgs/acme/repos`, {
      method: 'POST',
      headers: {
        Authorization: `token ${forge.token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(201);
    const { error, log } = await publish(name);
    expect(error).toBeUndefined();
    expect(log).toContain('exists with no commit');
    expect((await forge.client.getRepository('acme', name))?.empty).toBe(false);
  });

  it.each([
    ['../etc', 'repoUrl: the repository name must be lower-case'],
    ['svc;rm', 'repoUrl: the repository name must be lower-case'],
    ['Svc', 'repoUrl: the repository name must be lower-case'],
  ])(
    'refuses the name %s before anything is created',
    async (name, message) => {
      const { error } = await publish(name);
      expect(error?.name).toBe('InputError');
      expect(error?.message).toContain(message);
      expect(await forge.client.getRepository('acme', name)).toBeUndefined();
    },
  );

  it('refuses a team the organisation does not have, before anything is created', async () => {
    const name = uniqueName('gp-team');
    const { error } = await publish(name, checkpointStore(), {
      team: 'group:default/nobody',
    });
    expect(error?.message).toBe(
      `team: the organisation acme on the forge at ${forge.baseUrl} has no team nobody`,
    );
    expect(await forge.client.getRepository('acme', name)).toBeUndefined();
  });

  it('fails naming the forge when it does not answer (a stopped forge: nothing listens on the port)', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = new ConfigReader({
      integrations: {
        gitea: [
          {
            host: `127.0.0.1:${port}`,
            baseUrl,
            username: 'portal-admin',
            password: 'x',
          },
        ],
      },
    });
    const stopped = createPublishGiteaResumableAction({
      integrations: ScmIntegrations.fromConfig(config),
      config,
    });
    const { error } = await runAction(
      stopped,
      input('gp-stopped', {
        repoUrl: `127.0.0.1:${port}?owner=acme&repo=gp-stopped`,
      }),
      { store: checkpointStore(), workspacePath: workspace('gp-stopped') },
    );
    expect(error?.message).toMatch(
      new RegExp(
        `^the forge at ${baseUrl} did not answer GET /orgs/acme/teams/search: ECONNREFUSED`,
      ),
    );
  });

  it('changes nothing in a dry run', async () => {
    const name = uniqueName('gp-dry');
    const { error, outputs } = await runAction(action, input(name), {
      store: checkpointStore(),
      dryRun: true,
      workspacePath: workspace(name),
    });
    expect(error).toBeUndefined();
    expect(outputs.repoContentsUrl).toBe(
      `${forge.baseUrl}/acme/${name}/src/branch/main/`,
    );
    expect(await forge.client.getRepository('acme', name)).toBeUndefined();
  });

  it('has examples that are steps of this action', () => {
    expect(exampleSteps(action).length).toBeGreaterThan(0);
  });
});
