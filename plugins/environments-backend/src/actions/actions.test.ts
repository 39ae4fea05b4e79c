/*
 * The environments' actions through the real actions registry over HTTP, as mcp-actions-backend
 * calls them for a user, in a whole test backend (testBackend.ts: a real OPA on policies/, SQLite,
 * catalog/org.yaml's people): what the registry lists, and that each action answers what its REST
 * route answers to the same person. An API-only replica (runs.concurrency 0): requests stay
 * queued. actions.guardrails.test.ts: the guardrails through both; actions.changes.test.ts: the
 * refusals, extend, destroy and the audit.
 */
import {
  ACTIONS,
  as,
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from '../__testUtils__/testBackend';

const NAMES = [
  'list-blueprints',
  'list-environments',
  'get-environment',
  'request-environment',
  'extend-environment',
  'destroy-environment',
];

/** A workspace request of payments (dev's and fatima's team). */
const workspace = (name: string, fields: object = {}) => ({
  name,
  blueprint: 'workspace',
  owner: 'group:default/payments',
  variables: { service: 'orders' },
  ...fields,
});

/** An environment without what differs between two requests, nor the REST answer's version. */
const comparable = ({
  id: _id,
  name: _name,
  createdAt: _c,
  updatedAt: _u,
  version: _v,
  ...rest
}: Record<string, unknown>) => rest;

describe('environments actions: listing and equivalence with the REST API', () => {
  let env: EnvironmentsTestBackend;
  const invoke = (user: string, name: string, input: object) =>
    env.invoke(user, name, input);

  beforeAll(async () => {
    env = await startEnvironmentsBackend({
      name: 'environments-actions-',
      environments: { runs: { concurrency: 0 } },
    });
  }, 60_000);
  afterAll(() => env?.stop());

  it('lists the six actions with their input and output schemas and attributes', async () => {
    const res = await env
      .request()
      .get(ACTIONS)
      .set('Authorization', as('dev'));
    expect(res.status).toBe(200);
    const actions: any[] = res.body.actions;
    expect(actions.map(a => a.id).sort()).toEqual(
      NAMES.map(n => `environments:${n}`).sort(),
    );
    const byName = Object.fromEntries(actions.map(a => [a.name, a]));
    for (const a of actions) {
      expect(a).toMatchObject({
        pluginId: 'environments',
        title: expect.any(String),
        description: expect.any(String),
        schema: {
          input: { type: 'object', properties: expect.any(Object) },
          output: { type: 'object', properties: expect.any(Object) },
        },
      });
    }
    const readOnly = { readOnly: true, destructive: false, idempotent: true };
    const writes = { readOnly: false, destructive: false, idempotent: false };
    expect(
      Object.fromEntries(NAMES.map(n => [n, byName[n].attributes])),
    ).toEqual({
      'list-blueprints': readOnly,
      'list-environments': readOnly,
      'get-environment': readOnly,
      'request-environment': writes,
      'extend-environment': writes,
      'destroy-environment': { ...writes, destructive: true },
    });

    const input = (n: string) => byName[n].schema.input;
    expect(input('request-environment')).toMatchObject({
      required: ['name', 'blueprint', 'owner'],
      additionalProperties: false,
    });
    expect(Object.keys(input('request-environment').properties).join()).toBe(
      'name,blueprint,owner,size,ttlHours,variables',
    );
    for (const n of ['get-environment', 'destroy-environment'])
      expect(input(n)).toMatchObject({
        required: ['id'],
        properties: { id: { type: 'string', format: 'uuid' } },
      });
    expect(input('extend-environment')).toMatchObject({
      required: ['id', 'hours'],
      additionalProperties: false,
    });
    expect(input('list-environments').properties.scope).toMatchObject({
      enum: ['mine', 'team', 'all'],
      default: 'team',
    });

    const output = (n: string) => byName[n].schema.output.properties;
    expect(
      ['request-environment', 'get-environment', 'list-environments'].map(n =>
        Object.keys(output(n)).join(),
      ),
    ).toEqual([
      'environment,waitingForApproval,reasons',
      'environment,history',
      'items,nextCursor',
    ]);
    const fields = Object.keys(
      output('get-environment').environment.properties,
    );
    expect(fields).toEqual(expect.arrayContaining(['id', 'state', 'outputs']));
    expect(fields.filter(f => /secret/i.test(f))).toEqual([]);
  });

  it('list-blueprints answers the blueprints GET /blueprints lists that can be requested', async () => {
    const rest = await env.get('dev', '/blueprints');
    expect(rest.status).toBe(200);
    const res = await invoke('dev', 'list-blueprints', {});
    expect(res.status).toBe(200);
    const { blueprints } = res.body.output;

    const requestable = rest.body.items.filter((b: any) => b.applyable);
    // k8s-namespace has no module to apply: listed by REST, not offered to an agent
    expect(
      rest.body.items.filter((b: any) => !b.applyable).map((b: any) => b.name),
    ).toEqual(['k8s-namespace']);
    expect(blueprints.map((b: any) => b.name)).toEqual(
      requestable.map((b: any) => b.name),
    );
    expect(
      blueprints.map((b: any) => ({
        name: b.name,
        sizes: b.sizes,
        ttl: b.ttl,
      })),
    ).toEqual(
      requestable.map((b: any) => ({
        name: b.name,
        sizes: Object.fromEntries(
          Object.entries(b.sizes).map(([size, s]: [string, any]) => [
            size,
            { costPerHour: s.costPerHour, description: s.description },
          ]),
        ),
        ttl: { defaultHours: b.ttl.defaultHours, maxHours: b.ttl.maxHours },
      })),
    );
    // as templates/environments/workspace/blueprint.yaml has it
    expect(blueprints.find((b: any) => b.name === 'workspace')).toMatchObject({
      defaultSize: 'small',
      sizes: { small: { costPerHour: 0 }, medium: { costPerHour: 0.01 } },
      ttl: { defaultHours: 48, maxHours: 720 },
      variables: [
        { name: 'service', default: 'demo-service' },
        { name: 'log_level', allowed: ['debug', 'info', 'warn'] },
      ],
    });
  });

  it("request-environment answers what POST /environments answers; get and list read it in dev's team only", async () => {
    const rest = await env.post(
      'dev',
      '/environments',
      workspace('orders-rest'),
    );
    expect(rest.status).toBe(201);
    const before = await env.rows();
    const res = await invoke('dev', 'request-environment', workspace('orders'));
    expect(res.status).toBe(200);
    const { output } = res.body;
    expect(output).toEqual({
      environment: expect.objectContaining({
        name: 'orders',
        state: 'queued',
        owner: 'group:default/payments',
        requestedBy: 'user:default/dev',
      }),
      waitingForApproval: false,
      reasons: rest.body.reasons,
    });
    expect(comparable(output.environment)).toEqual(
      comparable(rest.body.environment),
    );
    // the environment, its two history rows (requested, queued) and its apply run
    expect(await env.rows()).toEqual({
      environments: before.environments + 1,
      history: before.history + 2,
      runs: before.runs + 1,
    });

    // made active by the store, as the worker would, with a secret output
    const { id } = output.environment;
    const secret = 'tok-9f3b2c71e0d4';
    await env.store.transition(id, 'provisioning', { actor: 'test' });
    await env.store.transition(id, 'active', {
      actor: 'test',
      patch: {
        expiresAt: new Date(Date.now() + 3600_000),
        outputs: { url: 'http://orders.workspace.local' },
        secretOutputs: { api_token: secret },
      },
    });
    const got = await invoke('dev', 'get-environment', { id });
    expect(got.status).toBe(200);
    const read = await env.get('dev', `/environments/${id}`);
    expect(read.status).toBe(200);
    const { version: _v, ...restEnvironment } = read.body.environment;
    expect(got.body.output).toEqual({
      environment: restEnvironment,
      history: read.body.history.map(
        ({ environmentId: _e, decisionId: _d, ...h }: any) => h,
      ),
    });
    expect(got.body.output.environment.outputs).toEqual({
      url: 'http://orders.workspace.local',
    });
    expect(got.body.output.history.map((h: any) => h.to)).toEqual([
      'requested',
      'queued',
      'provisioning',
      'active',
    ]);
    expect(JSON.stringify(got.body)).not.toContain(secret);

    const list = async (user: string, input: object) => {
      const r = await invoke(user, 'list-environments', input);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(secret);
      return r.body.output.items.map((e: { id: string }) => e.id);
    };
    expect(await list('dev', { scope: 'team' })).toContain(id);
    expect(await list('dev', {})).toContain(id); // team is the default
    expect(await list('fatima', { scope: 'team', states: ['active'] })).toEqual(
      [id],
    );
    expect(await list('fatima', { scope: 'mine' })).not.toContain(id);
    expect(await list('chloe', { scope: 'team' })).not.toContain(id);
    expect(await list('chloe', { scope: 'mine' })).toEqual([]);
  });

  it('list-environments pages as GET /environments does, and names bad input with a 400', async () => {
    const first = await invoke('fatima', 'list-environments', {
      scope: 'team',
      limit: 1,
    });
    expect(first.status).toBe(200);
    const rest = await env.get('fatima', '/environments?scope=team&limit=1');
    expect(first.body.output.items.map((e: any) => e.id)).toEqual(
      rest.body.items.map((e: any) => e.id),
    );
    expect(first.body.output.nextCursor).toEqual(rest.body.nextCursor);
    const next = await invoke('fatima', 'list-environments', {
      scope: 'team',
      limit: 1,
      cursor: first.body.output.nextCursor,
    });
    expect(next.status).toBe(200);
    const restNext = await env.get(
      'fatima',
      `/environments?scope=team&limit=1&cursor=${rest.body.nextCursor}`,
    );
    expect(next.body.output.items.map((e: any) => e.id)).toEqual(
      restNext.body.items.map((e: any) => e.id),
    );
    expect(next.body.output.items).toHaveLength(1);
    expect(next.body.output.items[0].id).not.toBe(
      first.body.output.items[0].id,
    );

    const bad = async (input: object) => {
      const r = await invoke('dev', 'list-environments', input);
      expect(r.status).toBe(400);
      return r.body.error.message as string;
    };
    expect(await bad({ states: ['running'] })).toBe(
      "states: 'running' is not an environment state",
    );
    expect(await bad({ limit: 0 })).toMatch(/^limit: must be a whole number/);
    expect(await bad({ cursor: 'nope!' })).toMatch(/^cursor: is not a cursor/);
    // a misspelt filter is refused, not ignored (which would list every state)
    expect(await bad({ state: 'active' })).toMatch(/Invalid input/);
  });
});
