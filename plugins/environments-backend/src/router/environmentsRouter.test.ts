/*
 * The environments routes through the whole backend (real OPA and guardrails, SQLite): request,
 * list, read with history, extend, destroy and retry; each refusal of bad input a 400 naming the
 * field. Runs stay queued (an API-only replica); an environment is made active through the store.
 */
import { ApiBackend, startApiBackend } from '../__testUtils__/apiBackend';

describe('environmentsRouter', () => {
  let api: ApiBackend;
  /** An environment of payments made active through the store, as the run worker would. */
  const active = async (name: string) => {
    const env = await api.create('dev', { name });
    await api.store.transition(env.id, 'provisioning', { actor: 'test' });
    await api.store.transition(env.id, 'active', {
      actor: 'test',
      patch: { expiresAt: new Date(Date.now() + 3600_000) },
    });
    return env;
  };

  beforeAll(async () => {
    api = await startApiBackend();
  }, 60_000);
  afterAll(() => api?.stop());

  it('takes a request, lists it for its team only, and reads it with its history', async () => {
    const created = await api.post('dev', '/environments', {
      name: 'orders-ws',
      blueprint: 'workspace',
      owner: 'group:default/payments',
      variables: { service: 'orders' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      environment: { name: 'orders-ws', state: 'queued', size: 'small' },
      reasons: expect.any(Array),
    });
    const id = created.body.environment.id;

    const ids = async (user: string, query: string) =>
      (await api.get(user, `/environments${query}`)).body.items.map(
        (e: { id: string }) => e.id,
      );
    expect(await ids('dev', '?scope=mine')).toContain(id);
    expect(await ids('fatima', '?scope=team&state=queued,active')).toContain(
      id,
    );
    expect(await ids('fatima', '?scope=mine')).not.toContain(id);
    expect(await ids('chloe', '?scope=team')).not.toContain(id);

    const read = await api.get('vic', `/environments/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.history.map((h: { to: string }) => h.to)).toEqual([
      'requested',
      'queued',
    ]);
    const page = await api.get('dev', `/environments/${id}/history?limit=1`);
    expect(page.body.items.map((h: { to: string }) => h.to)).toEqual([
      'requested',
    ]);
    const rest = await api.get(
      'dev',
      `/environments/${id}/history?cursor=${page.body.nextCursor}`,
    );
    expect(rest.body.items.map((h: { to: string }) => h.to)).toEqual([
      'queued',
    ]);
  });

  it('extends, destroys and refuses to retry what is not quarantined', async () => {
    const env = await active('extend-ws');
    const before = await api.store.get(env.id);
    const extended = await api.post('dev', `/environments/${env.id}/extend`, {
      hours: 2,
    });
    expect(extended.status).toBe(200);
    expect(new Date(extended.body.environment.expiresAt).getTime()).toBe(
      before.expiresAt!.getTime() + 2 * 3600_000,
    );
    expect(
      (await api.post('chloe', `/environments/${env.id}/destroy`)).status,
    ).toBe(403);
    const destroyed = await api.post('dev', `/environments/${env.id}/destroy`);
    expect(destroyed.status).toBe(202);
    expect(destroyed.body.environment.state).toBe('destroying');
    const retried = await api.post('dev', `/environments/${env.id}/retry`);
    expect(retried.status).toBe(409);
    expect(retried.body.error.message).toMatch(/this one is destroying/);
  });

  it('answers bad input with a 400 naming the field, and stores nothing', async () => {
    const env = await active('bad-input-ws');
    const count = async () => (await api.store.list({})).length;
    const before = await count();
    for (const [method, path, body, message] of [
      [
        'get',
        '/environments/not-a-uuid',
        undefined,
        /^id: must be an id this API gave out/,
      ],
      ['get', '/environments?scope=everyone', undefined, /^scope: /],
      [
        'get',
        '/environments?state=gone',
        undefined,
        /^state: must be a comma-separated list of environment states$/,
      ],
      [
        'get',
        `/environments/${env.id}/history?cursor=x`,
        undefined,
        /^cursor: must be a whole number/,
      ],
      [
        'post',
        `/environments/${env.id}/extend`,
        { hours: 0 },
        /^hours: must be at least 1$/,
      ],
      [
        'post',
        `/environments/${env.id}/extend`,
        { hours: 1, by: 'me' },
        /^by: is not a field of this request$/,
      ],
      [
        'post',
        '/environments',
        { name: 'x', blueprint: 'workspace', owner: 'team' },
        /^owner: must be a group entity ref/,
      ],
      [
        'post',
        '/environments',
        {
          name: 'x',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          'owner ': 1,
        },
        /^"owner ": is not a field of this request$/,
      ],
    ] as const) {
      const res =
        method === 'get'
          ? await api.get('dev', path)
          : await api.post('dev', path, body);
      expect({
        path,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        path,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    const unreadable = await api
      .post('dev', '/environments')
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.error.message).toBe('body: must be a JSON object');
    expect(await count()).toBe(before);
  });
});
