/*
 * Approve and reject through the whole backend (real OPA and the repository's policies, SQLite):
 * the platform team decides a pending request, not a developer and not its own requester (four
 * eyes); a body with an unknown field or a long reason is a 400 naming it.
 */
import { ApiBackend, startApiBackend } from '../__testUtils__/apiBackend';

describe('approvalsRouter', () => {
  let api: ApiBackend;
  /** A request of payments over the developer TTL, which waits for approval. */
  const pending = async (name: string) => {
    const env = await api.create('dev', { name, ttlHours: 200 });
    expect(env.state).toBe('pending_approval');
    return env;
  };

  beforeAll(async () => {
    api = await startApiBackend();
  }, 60_000);
  afterAll(() => api?.stop());

  it('lets the platform team approve or reject a pending request, with the reason in its history', async () => {
    const a = await pending('approve-ws');
    expect(
      (await api.post('dev', `/environments/${a.id}/approve`, {})).status,
    ).toBe(403);
    const approved = await api.post('ben', `/environments/${a.id}/approve`, {
      reason: 'capacity checked',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.environment.state).toBe('queued');

    const r = await pending('reject-ws');
    const rejected = await api.post('ana', `/environments/${r.id}/reject`);
    expect(rejected.status).toBe(200);
    expect(rejected.body.environment.state).toBe('rejected');
    const history = (await api.get('dev', `/environments/${a.id}`)).body
      .history;
    expect(history[history.length - 1]).toMatchObject({
      to: 'queued',
      actor: 'user:default/ben',
      reason: 'capacity checked',
    });
    // decided: a second decision is a conflict
    expect(
      (await api.post('ana', `/environments/${a.id}/reject`, {})).status,
    ).toBe(409);
  });

  it('keeps four eyes: the requester may not decide their own request', async () => {
    const own = await api.create('ben', {
      name: 'own-db',
      blueprint: 'postgres-sandbox',
      owner: 'group:default/platform',
      ttlHours: 400,
    });
    expect(own.state).toBe('pending_approval');
    const res = await api.post('ben', `/environments/${own.id}/approve`, {});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/four eyes.*you requested it/);
  });

  it('answers a bad body with a 400 naming the field, and decides nothing', async () => {
    const env = await pending('bad-body-ws');
    for (const [body, message] of [
      [{ reason: 'x'.repeat(501) }, /^reason: must be at most 500 characters$/],
      [{ reason: 3 }, /^reason: /],
      [{ approve: true }, /^approve: is not a field of this request$/],
    ] as const) {
      const res = await api.post(
        'ben',
        `/environments/${env.id}/approve`,
        body,
      );
      expect({
        body,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        body,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    expect((await api.store.get(env.id)).state).toBe('pending_approval');
  });
});
