/*
 * The OPA permission policy inside a real backend (see __testUtils__/portal.ts), for the
 * scaffolder (a platform-only template, template runs readable by their creator and the platform
 * team) and the dora plugin's raw deliveries (platform team only).
 */
// The real dora plugin in the test backend, for its raw deliveries' permissions.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import doraPlugin from '@internal/plugin-dora-backend';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import {
  as,
  Backend,
  DORA_SECRET,
  entity,
  eventually,
  explain,
  startRunningPortal,
} from './__testUtils__/portal';

describe('OPA permission policy in a running backend: the scaffolder and DORA deliveries', () => {
  let opa: LocalOpaServer;
  let backend: Backend;

  beforeAll(async () => {
    ({ opa, backend } = await startRunningPortal(
      ['template:default/platform-runbook', 'template:default/node-service'],
      [doraPlugin],
    ));
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await opa?.stop();
  });

  it('refuses a platform-only template to a developer and runs it for the platform team', async () => {
    const values = {
      operation: 'rotate the ledger password',
      system: 'system:default/payments-platform',
    };
    const templateRef = 'template:default/platform-runbook';
    const refused = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', as('dev'))
      .send({ templateRef, values });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await entity(backend, templateRef, 'dev')).status).toBe(404);

    const started = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', as('ben'))
      .send({ templateRef, values });
    expect(started.status).toBe(201);
    const task = await eventually('the runbook task to finish', async () => {
      const res = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${started.body.id}`)
        .set('Authorization', as('ben'));
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    expect(task.status).toBe('completed');
  });

  it("applies the platform-only rule to the scaffolder's execute-template action too (what an AI assistant calls over MCP)", async () => {
    const invoke = (user: string) =>
      request(backend.server)
        .post(
          '/api/scaffolder/.backstage/actions/v1/actions/scaffolder:execute-template/invoke',
        )
        .set('Authorization', as(user))
        .send({
          templateRef: 'template:default/platform-runbook',
          values: {
            operation: 'rotate the ledger password',
            system: 'system:default/payments-platform',
          },
        });
    const tasksOf = async (user: string) =>
      (
        await request(backend.server)
          .get('/api/scaffolder/v2/tasks')
          .set('Authorization', as(user))
      ).body.tasks.filter(
        (t: any) =>
          t.spec.templateInfo?.entityRef ===
            'template:default/platform-runbook' &&
          t.createdBy === `user:default/${user}`,
      ).length;

    // the platform team runs it (once the catalog has it)
    const started = await eventually(
      'the runbook to start for ben',
      async () => {
        const res = await invoke('ben');
        return res.status === 200 ? res : undefined;
      },
    );
    expect(started.status).toBe(200);
    expect(started.body.output.taskId).toEqual(expect.any(String));

    // a developer does not: to him the template does not exist. (The action wraps the
    // scaffolder's 404 in a plain error, which the registry answers with 500 and mcp-actions
    // passes to the model as the tool's error; the message carries the scaffolder's answer.)
    const before = await tasksOf('dev');
    const refused = await invoke('dev');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.body.error.message).toMatch(
      /NotFoundError.*Template template:default\/platform-runbook not found/,
    );
    expect(await tasksOf('dev')).toBe(before);
  });

  it("lets only a template run's creator and the platform team read or cancel it (IS_TASK_OWNER)", async () => {
    const start = async (user: string, name: string) => {
      const res = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', as(user))
        .send({
          templateRef: 'template:default/node-service',
          values: { name, owner: 'group:default/payments' },
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const read = (user: string, id: string) =>
      request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', as(user));
    const cancel = (user: string, id: string) =>
      request(backend.server)
        .post(`/api/scaffolder/v2/tasks/${id}/cancel`)
        .set('Authorization', as(user));
    const listed = async (user: string) => {
      const res = await request(backend.server)
        .get('/api/scaffolder/v2/tasks')
        .set('Authorization', as(user));
      expect(res.status).toBe(200);
      return res.body.tasks.map((t: any) => t.id);
    };

    const devTask = await start('dev', 'order-history');
    const chloeTask = await start('chloe', 'basket-history');

    // another developer: neither reads nor cancels it, nor sees it in the list
    expect((await read('chloe', devTask)).status).toBe(403);
    expect((await cancel('chloe', devTask)).status).toBe(403);
    expect(await listed('chloe')).toEqual(expect.arrayContaining([chloeTask]));
    expect(await listed('chloe')).not.toContain(devTask);
    const why = await explain(
      backend,
      'chloe',
      'scaffolder.task.read',
      'read',
      'scaffolder-task',
    );
    expect(why.body).toMatchObject({
      result: 'conditional',
      reasons: [expect.stringContaining('whoever started them')],
    });

    // its creator and the platform team do
    expect((await read('dev', devTask)).status).toBe(200);
    expect((await read('ben', devTask)).status).toBe(200);
    expect(await listed('ben')).toEqual(
      expect.arrayContaining([devTask, chloeTask]),
    );
    expect((await cancel('dev', devTask)).status).toBe(200);
    expect((await cancel('ben', chloeTask)).status).toBe(200);
  });

  it('shows raw DORA deliveries and retries them for the platform team only', async () => {
    const body = JSON.stringify({
      zen: 'Keep it logically awesome.',
      hook_id: 1,
    });
    const sent = await request(backend.server)
      .post('/api/dora/webhooks/github-test')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'ping')
      .set('X-GitHub-Delivery', 'policy-test-1')
      .set(
        'X-Hub-Signature-256',
        `sha256=${createHmac('sha256', DORA_SECRET)
          .update(body)
          .digest('hex')}`,
      )
      .send(body);
    expect(sent.status).toBeLessThan(300);

    const list = (user: string) =>
      request(backend.server)
        .get('/api/dora/deliveries')
        .set('Authorization', as(user));
    for (const user of ['dev', 'vic']) {
      const refused = await list(user);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).not.toContain(
        'Keep it logically awesome',
      );
    }
    const listed = await list('ben');
    expect(listed.status).toBe(200);
    const delivery = listed.body.items.find(
      (d: any) => d.deliveryId === 'policy-test-1',
    );
    expect(delivery).toBeDefined();

    const one = (user: string) =>
      request(backend.server)
        .get(`/api/dora/deliveries/${delivery.id}`)
        .set('Authorization', as(user));
    expect((await one('dev')).status).toBe(403);
    expect((await one('ben')).status).toBe(200);

    const retry = (user: string) =>
      request(backend.server)
        .post(`/api/dora/deliveries/${delivery.id}/retry`)
        .set('Authorization', as(user));
    expect((await retry('dev')).status).toBe(403);
    expect((await retry('ben')).status).toBe(202);

    const why = await explain(backend, 'dev', 'dora.deliveries.read', 'read');
    expect(why.body).toMatchObject({
      result: 'deny',
      reasons: [
        expect.stringContaining(
          'dora.deliveries.read is for the platform team',
        ),
      ],
    });
  });
});
