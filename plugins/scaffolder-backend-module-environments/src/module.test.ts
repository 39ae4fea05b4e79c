/*
 * The golden path "Request a sandbox environment" (templates/sandbox-environment) run by the real
 * scaffolder: catalog, scaffolder with these actions, the environments plugin, the permission
 * backend with the OPA policy (a real OPA) and the real OpenTofu on the workspace blueprint.
 */
import { coreServices } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import environmentsPlugin from '@internal/plugin-environments-backend';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import { actorAwareMockAuthFactory } from '@internal/backend-test-utils';
import { orgUserInfoFactory } from '@internal/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleEnvironments } from './module';
import { captureService } from '@internal/backend-test-utils';

const repo = path.resolve(__dirname, '../../..');
const as = (user: string) => mockCredentials.user.header(`user:default/${user}`);

it('runs the sandbox template: the environment becomes active and the task log shows OpenTofu', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-scaffolder-'));
  const envScheduler = captureService('environments', coreServices.scheduler);
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          opa: { local: { policyDir: path.join(repo, 'policies') }, cache: { ttlMs: 0 } },
          environments: { blueprintsDir: path.join(repo, 'templates/environments'), workDir: work, scaffolder: { pollIntervalMs: 200 } },
          catalog: {
            rules: [{ allow: ['Template', 'Group', 'User'] }],
            locations: [
              { type: 'file', target: path.join(repo, 'templates/sandbox-environment/template.yaml') },
              { type: 'file', target: path.join(repo, 'catalog/org.yaml') },
            ],
          },
        },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      envScheduler.feature,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
      catalogPlugin,
      catalogModuleTemplates,
      scaffolderPlugin,
      scaffolderModuleEnvironments,
    ],
  });
  const api = () => request(backend.server);
  let working = true;
  const worker = (async () => {
    while (working) {
      await envScheduler.get().triggerTask('environments-worker');
      await new Promise(r => setTimeout(r, 200));
    }
  })();
  try {
    const deadline = Date.now() + 60_000;
    while ((await api().get('/api/catalog/entities/by-name/template/default/sandbox-environment').set('Authorization', as('dev'))).status !== 200) {
      if (Date.now() > deadline) throw new Error('the template was not ingested');
      await new Promise(r => setTimeout(r, 250));
    }
    const task = await api()
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', as('dev'))
      .send({
        templateRef: 'template:default/sandbox-environment',
        values: { name: 'from-template', blueprint: 'workspace', owner: 'group:default/payments', size: 'small', ttlHours: 24, wait: true },
      });
    expect(task.status).toBe(201);
    let status: any;
    while (Date.now() < deadline) {
      status = (await api().get(`/api/scaffolder/v2/tasks/${task.body.id}`).set('Authorization', as('dev'))).body;
      if (['completed', 'failed'].includes(status.status)) break;
      await new Promise(r => setTimeout(r, 250));
    }
    const events = (await api().get(`/api/scaffolder/v2/tasks/${task.body.id}/events`).set('Authorization', as('dev'))).body;
    const log = events.map((e: any) => e.body?.message ?? '').join('\n');
    expect({ status: status.status, log }).toMatchObject({ status: 'completed' });
    expect(log).toMatch(/environment from-template is active/);
    expect(log).toMatch(/\[apply\] Apply complete!/);
    const mine = (await api().get('/api/environments/environments?scope=mine').set('Authorization', as('dev'))).body.items;
    expect(mine).toContainEqual(expect.objectContaining({ name: 'from-template', state: 'active', requestedBy: 'user:default/dev' }));
    const completion = events.find((e: any) => e.type === 'completion');
    const id = mine.find((e: any) => e.name === 'from-template').id;
    expect(JSON.stringify(completion?.body ?? {})).toContain(`/environments/${id}`);
  } finally {
    working = false;
    await worker;
    await backend.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 120_000);
