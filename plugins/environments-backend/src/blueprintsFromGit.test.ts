/*
 * Blueprints from git in the whole plugin: the environments backend (testBackend: the permission
 * backend, a real OPA, SQLite) with environments.blueprints.url naming a folder of a temporary
 * repository on the local Gitea (scripts/test starts it; PORTAL_TEST_GITEA_URL), read by the
 * backend's own urlReader service with the forge's integration, and the real OpenTofu applying the
 * module extracted from it. The repository is deleted afterwards.
 */
import {
  folderFiles,
  repoRoot,
  testForge,
  TestRepository,
} from '@internal/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import {
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000); // a real forge, OPA and OpenTofu on a shared machine

const forge = testForge();
const WORKSPACE = path.join(repoRoot, 'templates/environments/workspace');

describe('blueprints from git, through the environments API', () => {
  let repo: TestRepository;
  let env: EnvironmentsTestBackend;
  let url: string;

  beforeAll(async () => {
    repo = await forge.createRepository('blueprints-api-test');
    url = repo.folderUrl('platform/environments');
    const broken = fs
      .readFileSync(path.join(WORKSPACE, 'blueprint.yaml'), 'utf8')
      .replace('name: workspace', 'name: broken')
      .replace('costPerHour: 0\n', 'costPerHour: -1\n');
    await repo.commit({
      ...folderFiles(WORKSPACE, 'platform/environments/workspace'),
      'platform/environments/broken/blueprint.yaml': broken,
      'platform/environments/broken/module/main.tf': 'variable "service" {}\n',
    });
    env = await startEnvironmentsBackend({
      name: 'environments-git-',
      environments: { blueprints: { url } },
      config: { integrations: forge.integrations() },
    });
  });

  afterAll(async () => {
    await env?.stop();
    await repo?.delete();
  });

  it('lists the blueprint read from git, and the broken file beside it with its field', async () => {
    const res = await env.get('dev', '/blueprints');
    expect(res.status).toBe(200);
    expect(res.body.items.map((b: { name: string }) => b.name)).toEqual([
      'workspace',
    ]);
    expect(res.body.errors).toEqual([
      {
        file: `${url}/broken/blueprint.yaml`,
        message: expect.stringMatching(/^spec\.sizes\.small\.costPerHour: /),
      },
    ]);
  });

  it('provisions an environment with the module extracted from git', async () => {
    const created = await env.post('dev', '/environments', {
      name: 'git-ws',
      blueprint: 'workspace',
      owner: 'group:default/payments',
      variables: { service: 'orders' },
    });
    expect(created.status).toBe(201);
    const id = created.body.environment.id;
    await env.runQueue();
    const got = await env.get('dev', `/environments/${id}`);
    expect(got.body.environment).toMatchObject({
      state: 'active',
      outputs: { path: expect.stringContaining(env.work) },
    });
    // the module came from the tree extracted under workDir/blueprints, the only copy it has
    const [tree] = fs
      .readdirSync(path.join(env.work, 'blueprints'))
      .filter(n => n.startsWith('tree-'));
    const extracted = path.join(env.work, 'blueprints', tree, 'workspace');
    expect(fs.readdirSync(path.join(extracted, 'module'))).toEqual(['main.tf']);
  });
});
