/*
 * The platform team's templates from git: a template.yaml in the forge's acme/golden-paths
 * repository, registered as a URL location, appears in the catalog (the Create page lists the
 * catalog's templates), and a change pushed to it shows after the catalog's next refresh, with no
 * restart. app-config.yaml's catalog.rules allow templates from that repository only.
 *
 * The catalog reads the real local Gitea (scripts/test starts it: PORTAL_TEST_GITEA_URL, GITEA_TOKEN)
 * through Backstage's Gitea integration. Permissions: the test backend's in-process ALLOW mock
 * (the catalog's reads are not what this tests).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigSources } from '@backstage/config-loader';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(180_000);

const repoRoot = path.resolve(__dirname, '../../..');
const asAdmin = mockCredentials.user.header('user:default/ana');

function forge() {
  const baseUrl = process.env.PORTAL_TEST_GITEA_URL;
  if (!baseUrl)
    throw new Error(
      'this test needs the local Gitea: run scripts/test, or `source scripts/lib/setup.sh && source scripts/lib/gitea.sh && ensure_forge` and set PORTAL_TEST_GITEA_URL=$GITEA_URL',
    );
  const token =
    process.env.GITEA_TOKEN ??
    fs
      .readFileSync(path.join(repoRoot, '.data/gitea/portal-token'), 'utf8')
      .trim();
  return { baseUrl, token, host: new URL(baseUrl).host };
}

/**
 * app-config.yaml's catalog.rules, read with Backstage's config loader and this process's
 * environment (GITEA_PORT: scripts/test may give the forge another port than 3300).
 */
async function repoCatalogRules() {
  const source = ConfigSources.default({
    argv: ['--config', path.join(repoRoot, 'app-config.yaml')],
    env: {},
    rootDir: repoRoot,
    substitutionFunc: async name => process.env[name],
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config.get('catalog.rules');
}

const template = (name: string, title: string) =>
  [
    'apiVersion: scaffolder.backstage.io/v1beta3',
    'kind: Template',
    'metadata:',
    `  name: ${name}`,
    `  title: ${title}`,
    'spec:',
    '  owner: platform',
    '  type: service',
    '  steps:',
    '    - id: log',
    '      action: debug:log',
    '      input: { message: hello }',
    '',
  ].join('\n');

describe('templates from the forge', () => {
  const { baseUrl, token, host } = forge();
  const api = (apiPath: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}/api/v1${apiPath}`, {
      ...init,
      headers: {
        Authorization: `token ${token}`,
        'Content-Type': 'application/json',
      },
    });
  /** Writes `file` in the repository (creates it, or updates it with its current sha). */
  async function push(repo: string, file: string, content: string) {
    const current = await api(`/repos/acme/${repo}/contents/${file}`);
    const sha = current.ok ? (await current.json()).sha : undefined;
    const res = await api(`/repos/acme/${repo}/contents/${file}`, {
      method: sha ? 'PUT' : 'POST',
      body: JSON.stringify({
        content: Buffer.from(content).toString('base64'),
        message: `template ${file}`,
        ...(sha ? { sha } : {}),
      }),
    });
    if (!res.ok)
      throw new Error(`push ${file}: ${res.status} ${await res.text()}`);
  }
  async function ensureRepo(repo: string) {
    if ((await api(`/repos/acme/${repo}`)).status === 404) {
      const res = await api('/orgs/acme/repos', {
        method: 'POST',
        body: JSON.stringify({
          name: repo,
          auto_init: true,
          default_branch: 'main',
        }),
      });
      if (res.status !== 201) throw new Error(`create ${repo}: ${res.status}`);
    }
  }

  const suffix = crypto.randomBytes(4).toString('hex');
  const name = `forge-template-${suffix}`;
  const other = `other-templates-${suffix}`;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    await ensureRepo('golden-paths');
    await ensureRepo(other);
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplates,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              gitea: [
                { host, baseUrl, username: 'portal-admin', password: token },
              ],
            },
            catalog: {
              rules: await repoCatalogRules(),
              processingInterval: { seconds: 2 },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await api(`/repos/acme/golden-paths/contents/${name}/template.yaml`).then(
      async res => {
        if (!res.ok) return;
        const { sha } = await res.json();
        await api(`/repos/acme/golden-paths/contents/${name}/template.yaml`, {
          method: 'DELETE',
          body: JSON.stringify({ sha, message: 'test done' }),
        });
      },
    );
    await api(`/repos/acme/${other}`, { method: 'DELETE' });
  });

  const entity = (n: string) =>
    request(backend.server)
      .get(`/api/catalog/entities/by-name/template/default/${n}`)
      .set('Authorization', asAdmin);
  const register = (repo: string, n: string) =>
    request(backend.server)
      .post('/api/catalog/locations')
      .set('Authorization', asAdmin)
      .send({
        type: 'url',
        target: `${baseUrl}/acme/${repo}/src/branch/main/${n}/template.yaml`,
      });

  it('a template pushed to golden-paths and registered appears, and a pushed change shows without a restart', async () => {
    await push(
      'golden-paths',
      `${name}/template.yaml`,
      template(name, 'First'),
    );
    const registered = await register('golden-paths', name);
    expect(registered.status).toBe(201);
    await waitFor('the template in the catalog', async () => {
      const res = await entity(name);
      return res.status === 200 && res.body.metadata.title === 'First'
        ? { done: true, value: res.body }
        : { done: false, last: res.status };
    });
    await push(
      'golden-paths',
      `${name}/template.yaml`,
      template(name, 'Second'),
    );
    await waitFor('the pushed change in the catalog', async () => {
      const res = await entity(name);
      return res.body?.metadata?.title === 'Second'
        ? { done: true, value: res.body }
        : { done: false, last: res.body?.metadata?.title };
    });
  });

  it('refuses a template from another repository', async () => {
    const otherName = `stray-${suffix}`;
    await push(
      other,
      `${otherName}/template.yaml`,
      template(otherName, 'Stray'),
    );
    const registered = await register(other, otherName);
    expect(registered.status).toBe(201);
    // The first test shows a template from golden-paths in the catalog within a few 2 s
    // processing intervals; this one must not appear in ten of them.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      expect((await entity(otherName)).status).toBe(404);
      await new Promise(r => setTimeout(r, 1000));
    }
    expect((await entity(otherName)).status).toBe(404);
  });
});
