/*
 * Test-only: the dora plugin in a whole portal backend, for the actions' tests: the real catalog
 * with the example organisation (catalog/all.yaml) and the visibility module (confidential
 * components are read only by their owners), the permission backend with the OPA policy module
 * asking a real OPA process on the repository's policies/ (no decision cache, the fallback of
 * app-config.yaml when OPA does not answer), the actions registry of @backstage/backend-defaults
 * (startTestBackend's default) with backend.actions.pluginSources as app-config.yaml has it, and
 * the dora plugin on SQLite. Only sign-in is simulated (startTestBackend's mock credentials, with
 * real on-behalf-of actors, and each user's groups from catalog/org.yaml).
 *
 * The catalog, permission and OPA packages are imported from the workspace's node_modules: they
 * are not (yet) devDependencies of this package, whose yarn.lock entry this change does not touch.
 */
import { coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  actorAwareMockAuthFactory,
  captureService,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import { LocalOpaServer } from '@internal/plugin-opa-node';
// Not a declared dependency: the OPA module's own tests depend on this plugin, and a cycle of
// workspace dependencies is what the declaration would make. It resolves from the workspace.
// eslint-disable-next-line @backstage/no-undeclared-imports
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import { findTool, freePort } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { doraPlugin } from '../plugin';
import { githubPayloads } from '../seed/githubPayloads';
import { as, REPO, SECRETS, sign } from './doraBackend';

const KINDS = ['Location', 'Group', 'User', 'Domain', 'System', 'Component'];
const ALL_KINDS = [...KINDS, 'API', 'Resource'];

/** The portal's app-config.yaml, as parsed YAML. */
export const appConfig = () =>
  parseYaml(fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'));

export interface PortalBackend {
  api(): ReturnType<typeof request>;
  /** Works the dora delivery queue until nothing is pending (as a platform engineer). */
  settled(): Promise<void>;
  /**
   * Sends a signed GitHub deployment_status of `slug` (a production deployment of `sha`, on
   * 2026-03-01 at 02:00) to the github-acme webhook; throws unless it is accepted (202).
   */
  deployGithub(slug: string, id: number, sha: string): Promise<void>;
  /** Runs a scheduled task of the dora plugin now. */
  trigger(task: string): Promise<void>;
  /** Stops the OPA process (decisions then come from opa.fallback). */
  stopOpa(): Promise<void>;
  stop(): Promise<void>;
}

async function eventually(what: string, probe: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts OPA and the backend, and waits until the catalog shows `visible` to each user. */
export async function startPortalBackend(
  visible: Array<[user: string, entityRef: string]>,
): Promise<PortalBackend> {
  const opaTool = await findTool(new ConfigReader({}), 'opa');
  const opa = await LocalOpaServer.start({
    binary: opaTool.path,
    policyDir: path.join(REPO, 'policies'),
    port: await freePort(),
  });
  const scheduler = captureService('dora', coreServices.scheduler);
  const portal = appConfig();
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({
        level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { actions: portal.backend.actions },
          permission: { enabled: true },
          opa: {
            url: opa.url,
            timeoutMs: 5000,
            cache: { ttlMs: 0 },
            fallback: portal.opa.fallback,
          },
          catalog: {
            rules: [{ allow: ALL_KINDS }],
            locations: [
              { type: 'file', target: path.join(REPO, 'catalog/all.yaml') },
            ],
            processingInterval: { seconds: 2 },
          },
          dora: {
            scaffolder: { sync: false },
            metrics: { minimumSampleSize: 1 },
            sources: [
              { id: 'github-acme', type: 'github', secret: SECRETS.github },
            ],
            scorecards: { dir: path.join(REPO, 'scorecards') },
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      scheduler.feature,
      catalogPlugin,
      catalogModuleVisibility,
      permissionPlugin,
      permissionModuleOpa,
      doraPlugin,
    ],
  });
  const api = () => request(backend.server);
  await eventually(`the catalog to show ${visible.join(', ')}`, async () => {
    for (const [user, ref] of visible) {
      const [kind, rest] = ref.split(':');
      const res = await api()
        .get(`/api/catalog/entities/by-name/${kind}/${rest}`)
        .set('Authorization', as(user));
      if (res.status !== 200) return false;
    }
    return true;
  });
  const trigger = (task: string) => scheduler.get().triggerTask(task);
  return {
    api,
    trigger,
    async deployGithub(slug, id, sha) {
      const gh = githubPayloads(slug, new Date('2026-03-01T00:00:00Z'));
      const body = JSON.stringify(
        gh.deploymentStatus(id, { sha, atH: 2 }).body,
      );
      const res = await api()
        .post('/api/dora/webhooks/github-acme')
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'deployment_status')
        .set('X-GitHub-Delivery', `deploy-${id}`)
        .set('X-Hub-Signature-256', sign(SECRETS.github, body))
        .send(body);
      if (res.status !== 202) throw new Error(`deploy-${id}: ${res.status}`);
    },
    async settled() {
      await eventually('the deliveries to be normalised', async () => {
        await trigger('dora-normalise');
        const { counts } = (
          await api()
            .get('/api/dora/deliveries')
            .set('Authorization', as('ben'))
        ).body;
        return !counts.pending && !counts.processing;
      });
    },
    stopOpa: () => opa.stop(),
    async stop() {
      await backend.stop();
      await opa.stop();
    },
  };
}
