/*
 * The environments API in a backend with the permission backend and the OPA policy module, a real
 * OPA with the repository's policies, and the real OpenTofu on the workspace blueprint (SQLite,
 * state in a folder). Sign-in is simulated with startTestBackend's mock credentials (with the
 * calling plugin as actor) and each user's groups from catalog/org.yaml.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import {
  as,
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from './__testUtils__/testBackend';

describe('environments API', () => {
  let env: EnvironmentsTestBackend;
  let work: string;
  const api = () => env.request();
  const runQueue = () => env.runQueue();

  beforeAll(async () => {
    env = await startEnvironmentsBackend({ name: 'environments-api-' });
    work = env.work;
  }, 60_000);

  afterAll(() => env?.stop());

  it('takes a request from creation to active and destroyed, with permissions per role', async () => {
    const created = await api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({
        name: 'orders-ws',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        variables: { service: 'orders' },
      });
    expect(created.status).toBe(201);
    const id = created.body.environment.id;
    expect(created.body.environment.state).toBe('queued');

    await runQueue();
    const got = await api()
      .get(`/api/environments/environments/${id}`)
      .set('Authorization', as('dev'));
    expect(got.body.environment).toMatchObject({
      state: 'active',
      outputs: { path: expect.stringContaining(work) },
    });
    expect(got.body.environment.outputs).not.toHaveProperty('api_token');
    expect(got.body.history.map((h: any) => h.to)).toEqual([
      'requested',
      'queued',
      'provisioning',
      'active',
    ]);

    const runs = await api()
      .get(`/api/environments/environments/${id}/runs`)
      .set('Authorization', as('dev'));
    const logs = await api()
      .get(
        `/api/environments/environments/${id}/runs/${runs.body.items[0].id}/logs`,
      )
      .set('Authorization', as('dev'));
    expect(logs.body.items.map((l: any) => l.message).join('\n')).toMatch(
      /Apply complete!/,
    );

    // Secrets: the owners' team and the platform team, not a viewer.
    expect(
      (
        await api()
          .get(`/api/environments/environments/${id}/secrets`)
          .set('Authorization', as('dev'))
      ).body.secrets.api_token,
    ).toMatch(/^[0-9a-f]{32}$/);
    expect(
      (
        await api()
          .get(`/api/environments/environments/${id}/secrets`)
          .set('Authorization', as('vic'))
      ).status,
    ).toBe(403);
    expect(
      (
        await api()
          .get(`/api/environments/environments/${id}`)
          .set('Authorization', as('vic'))
      ).status,
    ).toBe(200);

    // Another team's developer may not destroy it; lists are scoped.
    expect(
      (
        await api()
          .post(`/api/environments/environments/${id}/destroy`)
          .set('Authorization', as('chloe'))
      ).status,
    ).toBe(403);
    const chloeTeam = await api()
      .get('/api/environments/environments?scope=team')
      .set('Authorization', as('chloe'));
    expect(chloeTeam.body.items.map((e: any) => e.id)).not.toContain(id);
    const devTeam = await api()
      .get('/api/environments/environments?scope=team')
      .set('Authorization', as('fatima'));
    expect(devTeam.body.items.map((e: any) => e.id)).toContain(id);

    // The catalog's provider sees it as a Resource owned by the team.
    const entities = await api()
      .get('/api/environments/catalog-entities')
      .set('Authorization', mockCredentials.service.header());
    expect(entities.body.items).toContainEqual(
      expect.objectContaining({
        kind: 'Resource',
        spec: {
          type: 'environment',
          lifecycle: 'experimental',
          owner: 'group:default/payments',
        },
        metadata: expect.objectContaining({
          annotations: expect.objectContaining({
            'portal.acme.example/environment-id': id,
            'portal.acme.example/environment-state': 'active',
          }),
          links: [
            {
              url: `http://localhost:3000/environments/${id}`,
              title: 'Environment page',
            },
          ],
        }),
      }),
    );
    expect(
      (
        await api()
          .get('/api/environments/catalog-entities')
          .set('Authorization', as('dev'))
      ).status,
    ).toBe(403);

    const extended = await api()
      .post(`/api/environments/environments/${id}/extend`)
      .set('Authorization', as('dev'))
      .send({ hours: 24 });
    expect(extended.status).toBe(200);
    expect(
      new Date(extended.body.environment.expiresAt).getTime(),
    ).toBeGreaterThan(new Date(got.body.environment.expiresAt).getTime());

    const destroyed = await api()
      .post(`/api/environments/environments/${id}/destroy`)
      .set('Authorization', as('dev'));
    expect(destroyed.status).toBe(202);
    await runQueue();
    const after = await api()
      .get(`/api/environments/environments/${id}`)
      .set('Authorization', as('dev'));
    expect(after.body.environment.state).toBe('destroyed');
    expect(fs.existsSync(got.body.environment.outputs.path)).toBe(false);
    const gone = await api()
      .get('/api/environments/catalog-entities')
      .set('Authorization', mockCredentials.service.header());
    expect(
      gone.body.items.map(
        (e: any) =>
          e.metadata.annotations['portal.acme.example/environment-id'],
      ),
    ).not.toContain(id);
  }, 120_000);

  it('sends a long TTL to approval with the reason, which only the platform team gives', async () => {
    const res = await api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({
        name: 'long-ws',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
    expect(res.status).toBe(202);
    expect(res.body.environment.state).toBe('pending_approval');
    expect(res.body.reasons.join()).toMatch(
      /over the 168 hours a developer may set/,
    );
    const id = res.body.environment.id;
    expect(
      (
        await api()
          .post(`/api/environments/environments/${id}/approve`)
          .set('Authorization', as('dev'))
          .send({})
      ).status,
    ).toBe(403);
    const approved = await api()
      .post(`/api/environments/environments/${id}/reject`)
      .set('Authorization', as('ben'))
      .send({ reason: 'too long for a demo' });
    expect(approved.body.environment.state).toBe('rejected');
  });

  it('refuses a viewer with 403 and bad input with a 400 naming the field', async () => {
    const body = {
      name: 'x',
      blueprint: 'workspace',
      owner: 'group:default/partners',
    };
    expect(
      (
        await api()
          .post('/api/environments/environments')
          .set('Authorization', as('vic'))
          .send(body)
      ).status,
    ).toBe(403);
    const bad = await api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({
        name: 'a/../b',
        blueprint: 'workspace',
        owner: 'group:default/payments',
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^name: must be lower case words/);
    // Each kind of bad input over HTTP: a 400 naming the field and the rule, and nothing stored.
    const mine = async () =>
      (
        await api()
          .get('/api/environments/environments')
          .query({ scope: 'team' })
          .set('Authorization', as('dev'))
      ).body.items.length;
    const before = await mine();
    for (const [input, message] of [
      [
        { blueprint: 'mainframe' },
        /^blueprint: 'mainframe' is not a blueprint that can be requested/,
      ],
      [
        { variables: { log_level: 'trace' } },
        /^variables\.log_level: must be one of/,
      ],
      [{ variables: { log_level: 3 } }, /^variables\.log_level: /],
      [
        { variables: { service: 'a;rm -rf /' } },
        /^variables\.service: must match/,
      ],
      [{ name: 'x$(id)' }, /^name: must be lower case words/],
      [{ ttlHours: -5 }, /^ttlHours: must be at least 1/],
      [{ ttlHours: 1e9 }, /^ttlHours: must be at most 8760/],
    ] as const) {
      const res = await api()
        .post('/api/environments/environments')
        .set('Authorization', as('dev'))
        .send(
          Object.assign(
            {
              name: 'x',
              blueprint: 'workspace',
              owner: 'group:default/payments',
            },
            input,
          ),
        );
      expect({
        input,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        input,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    expect(await mine()).toBe(before);
    const spoof = await api()
      .post('/api/environments/environments')
      .set('Authorization', as('vic'))
      .set('x-backstage-user', 'user:default/ben')
      .send({ ...body, requestedBy: 'user:default/ben' });
    expect(spoof.status).toBe(403);
  });
});
