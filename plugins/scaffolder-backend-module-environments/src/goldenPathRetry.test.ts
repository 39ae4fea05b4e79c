/*
 * Issue 15's acceptance line, "a retried task creates exactly one repository, one webhook and one
 * environment", through the real scaffolder task engine (not action by action with an in-memory
 * checkpoint store): a catalog template runs publish:gitea (the golden-path module's resumable one)
 * into acme on the local Gitea, dora:webhook:create, environment:create (workspace blueprint, the
 * real OpenTofu, the permission backend with the real OPA), then a step that fails on the first
 * attempt only. The task is retried with the scaffolder's own retry and completes; the forge and
 * the environments service hold one of each.
 *
 * The retry in @backstage/plugin-scaffolder-backend 4.3.0 (POST /v2/tasks/:taskId/retry,
 * DatabaseTaskStore.retryTask, NunjucksWorkflowRunner) needs scaffolder.task.create and
 * scaffolder.task.read on the task (the portal's policy: a developer, on a task they started). It
 * reopens the task with the caller's fresh credentials and keeps the task's state, where the
 * ctx.checkpoint results are. With the portal's configuration (app-config.yaml does not set
 * scaffolder.taskRecovery.enabled, nor does this test; the template sets no EXPERIMENTAL_recovery)
 * the retry runs every step again from the first, and each action's checkpoint hands back what the
 * first attempt stored instead of creating again. (With scaffolder.taskRecovery.enabled the engine
 * would skip the completed steps altogether, and the checkpoints would not be exercised.)
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { testForge } from '@internal/backend-test-utils';
import scaffolderModuleGoldenPath from '@internal/plugin-scaffolder-backend-module-golden-path';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { scaffolderModuleEnvironments } from './module';
import { as, repo, startEnvironmentsBackend } from './__testUtils__/backend';

jest.setTimeout(240_000);

/** The portal's backend.baseUrl (app-config.yaml): where the DORA webhook must post. */
const PORTAL_URL = 'http://localhost:7007';
const forge = testForge();
const host = new URL(forge.baseUrl).host;
const name = `gp-retry-${randomBytes(4).toString('hex')}`;
const environmentName = `${name}-sandbox`;
/** The DORA source's webhook secret (dora.sources; the action signs the webhook with it). */
const secret = randomBytes(16).toString('hex');

/**
 * test:crash-once, a stand-in for the backend crashing after the steps that create things: it
 * fails the first run of each task and passes when the task is retried.
 */
const crashOnceModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'test-crash-once',
  register(reg) {
    reg.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        const crashed = new Set<string>();
        scaffolder.addActions(
          createTemplateAction({
            id: 'test:crash-once',
            description: 'Fails the first run of a task; passes on its retry.',
            async handler(ctx) {
              if (!crashed.has(ctx.task.id)) {
                crashed.add(ctx.task.id);
                throw new Error('test:crash-once: the backend crashed here');
              }
              ctx.logger.info('test:crash-once: passing on the retry');
            },
          }),
        );
      },
    });
  },
});

/** The golden path's creating steps for this run's repository and sandbox, then the crash. */
const repoUrl = `${host}?owner=acme&repo=${name}`;
const payments = 'group:default/payments';
const retryTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'golden-path-retry', title: 'Golden path, retried' },
  spec: {
    owner: 'group:default/platform',
    type: 'service',
    steps: [
      {
        id: 'write',
        action: 'catalog:write',
        input: {
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name },
            spec: {
              type: 'service',
              lifecycle: 'experimental',
              owner: payments,
            },
          },
        },
      },
      {
        id: 'publish',
        action: 'publish:gitea',
        input: { repoUrl, description: 'Retry test', team: payments },
      },
      {
        id: 'dora',
        action: 'dora:webhook:create',
        input: { repoUrl, source: 'gitea' },
      },
      {
        id: 'environment',
        action: 'environment:create',
        input: {
          name: environmentName,
          blueprint: 'workspace',
          owner: payments,
          wait: false,
        },
      },
      { id: 'crash', action: 'test:crash-once' },
    ],
    output: {
      links: [
        { title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' },
        { title: 'Sandbox', url: '${{ steps.environment.output.url }}' },
      ],
    },
  },
};

/** The Gitea API as portal-admin. */
async function gitea(method: string, route: string) {
  const res = await fetch(`${forge.baseUrl}/api/v1${route}`, {
    method,
    headers: { Authorization: `token ${forge.token}` },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('a retried golden-path task in the real scaffolder', () => {
  let env: Awaited<ReturnType<typeof startEnvironmentsBackend>>;
  const api = () => env.api();

  /** GET /api/scaffolder/v2/tasks/<route> as dev (who started the task). */
  const task = async (route: string) =>
    (
      await api()
        .get(`/api/scaffolder/v2/tasks/${route}`)
        .set('Authorization', as('dev'))
    ).body;

  /** The task's status once it is completed or failed, and its events. */
  async function settle(taskId: string) {
    const deadline = Date.now() + 120_000;
    let status = '';
    while (!['completed', 'failed'].includes(status)) {
      if (Date.now() > deadline)
        throw new Error(`task ${taskId} is still ${status}`);
      await new Promise(r => setTimeout(r, 250));
      status = (await task(taskId)).status;
    }
    const events: { type: string; body: any }[] = await task(
      `${taskId}/events`,
    );
    return { status, events };
  }

  const messages = (events: { body: any }[], stepId?: string) =>
    events
      .filter(e => !stepId || e.body?.stepId === stepId)
      .map(e => String(e.body?.message ?? ''));

  beforeAll(async () => {
    env = await startEnvironmentsBackend({
      config: work => {
        const templateFile = path.join(work, 'golden-path-retry.yaml');
        fs.writeFileSync(templateFile, JSON.stringify(retryTemplate));
        return {
          backend: { baseUrl: PORTAL_URL },
          integrations: forge.integrations(),
          goldenPath: { forge: { host, organisation: 'acme' } },
          dora: { sources: [{ id: 'gitea', type: 'gitea', secret }] },
          scaffolder: {
            defaultAuthor: { name: 'Portal', email: 'portal@acme.example' },
          },
          catalog: {
            rules: [{ allow: ['Template', 'Group', 'User'] }],
            locations: [
              { type: 'file', target: templateFile },
              { type: 'file', target: path.join(repo, 'catalog/org.yaml') },
            ],
          },
        };
      },
      features: [
        catalogPlugin,
        catalogModuleTemplates,
        scaffolderPlugin,
        scaffolderModuleGoldenPath,
        scaffolderModuleEnvironments,
        crashOnceModule,
      ],
    });
  }, 60_000);

  /** Deletes the repository and destroys the environment (OpenTofu destroy), even after a failure. */
  afterAll(async () => {
    try {
      await gitea('DELETE', `/repos/acme/${name}`);
      for (const e of await env.all()) {
        if (e.name !== environmentName || e.state === 'destroyed') continue;
        await env.until(e.id, 'active').catch(() => undefined);
        await api()
          .post(`/api/environments/environments/${e.id}/destroy`)
          .set('Authorization', as('dev'));
        await env.until(e.id, 'destroyed');
      }
    } finally {
      await env?.stop();
    }
  });

  it('creates exactly one repository, one webhook and one environment', async () => {
    const deadline = Date.now() + 60_000;
    while (
      (
        await api()
          .get(
            '/api/catalog/entities/by-name/template/default/golden-path-retry',
          )
          .set('Authorization', as('dev'))
      ).status !== 200
    ) {
      if (Date.now() > deadline)
        throw new Error('the template was not ingested');
      await new Promise(r => setTimeout(r, 250));
    }

    const started = await api()
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', as('dev'))
      .send({
        templateRef: 'template:default/golden-path-retry',
        values: {},
      });
    expect(started.status).toBe(201);
    const taskId: string = started.body.id;

    // First attempt: everything is created, then the crash fails the task.
    const first = await settle(taskId);
    expect({ status: first.status, log: messages(first.events) }).toMatchObject(
      { status: 'failed' },
    );
    expect(messages(first.events, 'crash').join('\n')).toContain(
      'test:crash-once: the backend crashed here',
    );
    const hooks = (await gitea('GET', `/repos/acme/${name}/hooks`)).body;
    expect(hooks).toHaveLength(1);
    const [requested] = (await env.all()).filter(
      e => e.name === environmentName,
    );
    expect(requested).toBeDefined();

    // Only whoever started it (or the platform team) may retry it: another payments developer
    // may not (scaffolder.task.read is IS_TASK_OWNER): 403, and the task stays failed.
    const refused = await api()
      .post(`/api/scaffolder/v2/tasks/${taskId}/retry`)
      .set('Authorization', as('fatima'))
      .send({});
    expect(refused.status).toBe(403);
    expect((await task(taskId)).status).toBe('failed');

    // The scaffolder's own retry, by dev.
    const retried = await api()
      .post(`/api/scaffolder/v2/tasks/${taskId}/retry`)
      .set('Authorization', as('dev'))
      .send({});
    expect(retried.status).toBe(201);
    const second = await settle(taskId);
    expect({
      status: second.status,
      log: messages(second.events),
    }).toMatchObject({ status: 'completed' });

    // The retry ran every step again (no step was skipped as already completed): the actions'
    // checkpoints, stored in the task's state by the first attempt, answered instead of the forge
    // and the environments service.
    const recovered = second.events.findIndex(e => e.type === 'recovered');
    expect(second.events[recovered]?.body).toEqual({ recoverStrategy: 'none' });
    const retryEvents = second.events.slice(recovered + 1);
    expect(messages(retryEvents).join('\n')).not.toMatch(/already completed/);
    expect(messages(retryEvents, 'publish').join('\n')).toContain(
      `published acme/${name}`,
    );
    expect(messages(retryEvents, 'dora').join('\n')).toContain(
      `webhook ${hooks[0].id} to ${PORTAL_URL}/api/dora/webhooks/gitea (created)`,
    );
    expect(messages(retryEvents, 'environment').join('\n')).toContain(
      `requested ${environmentName} (${requested.id})`,
    );
    expect(messages(retryEvents, 'crash').join('\n')).toContain(
      'test:crash-once: passing on the retry',
    );
    const completion = second.events.find(e => e.type === 'completion');
    expect(JSON.stringify(completion?.body)).toContain(
      `/environments/${requested.id}`,
    );

    // Exactly one repository of that name in acme, with the pushed catalog entry.
    const search = (
      await gitea('GET', `/repos/search?q=${name}&limit=50`)
    ).body.data.filter((r: any) => r.name === name);
    expect(search.map((r: any) => r.full_name)).toEqual([`acme/${name}`]);
    expect(search[0].empty).toBe(false);
    expect(
      (await gitea('GET', `/repos/acme/${name}/contents/catalog-info.yaml`))
        .status,
    ).toBe(200);

    // Exactly one webhook on it, the first attempt's, posting to the portal's DORA ingestion.
    const after = (await gitea('GET', `/repos/acme/${name}/hooks`)).body;
    expect(after).toEqual([
      expect.objectContaining({
        id: hooks[0].id,
        config: expect.objectContaining({
          url: `${PORTAL_URL}/api/dora/webhooks/gitea`,
        }),
      }),
    ]);

    // Exactly one environment of that name, the first attempt's, which the worker provisions.
    const environments = (await env.all()).filter(
      e => e.name === environmentName,
    );
    expect(environments).toEqual([
      expect.objectContaining({
        id: requested.id,
        requestedBy: 'user:default/dev',
        owner: 'group:default/payments',
        blueprint: 'workspace',
      }),
    ]);
    await env.until(requested.id, 'active');
  });
});
